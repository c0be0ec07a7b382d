package dev.freight.config;

import java.util.Base64;

/** Secret keys as they are configured: base64 or base64url text. */
public final class Base64Keys {

    private Base64Keys() {
    }

    /** The key bytes of one configured key (base64 or base64url). */
    public static byte[] decode(String base64Key) {
        String trimmed = base64Key.trim();
        return (trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                .decode(trimmed);
    }
}
