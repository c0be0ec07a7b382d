package dev.freight.upload.api;

import java.util.regex.Pattern;

/** Regular expressions the request records and resources validate with. */
final class ApiPatterns {

    /** 32 bytes in standard base64. */
    static final Pattern SHA256_BASE64 = Pattern.compile("[A-Za-z0-9+/]{43}=");

    /** An upload's id as a path parameter. */
    static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A query flag. */
    static final Pattern TRUE_OR_FALSE = Pattern.compile("true|false");

    static final String SHA256_MESSAGE = "must be a base64-encoded SHA-256 digest";
    static final String UUID_MESSAGE = "must be a UUID";
    static final String TRUE_OR_FALSE_MESSAGE = "must be true or false";

    private ApiPatterns() {
    }
}
