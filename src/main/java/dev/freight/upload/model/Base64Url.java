package dev.freight.upload.model;

import java.util.Base64;

/**
 * The one spelling of the tokens Freight issues: base64url without padding (RFC 4648 section 5). Decoding accepts
 * only the text {@link #encode} writes for the decoded bytes: Java's decoder ignores the unused low bits of a last
 * character (and accepts padding), so several texts decode alike, and a token changed that way would otherwise
 * still be accepted as the same token.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * The bytes of {@code text}, when it is their canonical spelling.
     *
     * @throws IllegalArgumentException for text that is not base64url, or not its canonical spelling
     */
    public static byte[] decodeCanonical(String text) {
        byte[] bytes = DECODER.decode(text);
        if (!ENCODER.encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("not the canonical base64url spelling");
        }
        return bytes;
    }
}
