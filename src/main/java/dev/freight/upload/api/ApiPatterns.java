package dev.freight.upload.api;

import java.util.regex.Pattern;

/** Regular expressions the request records and resources validate with. */
final class ApiPatterns {

    /** A token (RFC 9110 section 5.6.2): parameter names and unquoted values. */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    /**
     * A quoted string (RFC 9110 section 5.6.4): visible ASCII, spaces and tabs, with backslash-escaped quotes and
     * backslashes. obs-text (bytes over 0x7F) is refused: the value becomes the object's Content-Type header.
     */
    private static final String QUOTED_STRING = "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\t \\x21-\\x7E])*\"";

    /**
     * type/subtype (RFC 6838 restricted names) with parameters as RFC 9110 section 8.3.1 writes them
     * ({@code *( OWS ";" OWS [ name=value ] )}), so RFC 6381's {@code codecs="avc1.42E01E, mp4a.40.2"} is accepted.
     * OWS is spaces and tabs only: never a line break.
     */
    static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
                    + "(?:[ \\t]*;[ \\t]*(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED_STRING + "))?)*");

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
