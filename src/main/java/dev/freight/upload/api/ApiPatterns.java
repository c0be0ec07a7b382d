package dev.freight.upload.api;

/** Regular expressions the request records validate with. */
final class ApiPatterns {

    /** type/subtype with optional parameters (RFC 6838 names). */
    static final String MEDIA_TYPE = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
            + "(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=(\"[^\"\\\\\\p{Cntrl}]*\"|[A-Za-z0-9!#$&^_.+-]+))*";

    /** 32 bytes in standard base64. */
    static final String SHA256_BASE64 = "[A-Za-z0-9+/]{43}=";

    static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private ApiPatterns() {
    }
}
