package dev.freight.upload.storage;

import java.nio.charset.StandardCharsets;

/** Builds a safe {@code Content-Disposition: attachment} value for a client-chosen filename (RFC 6266, RFC 5987). */
final class ContentDisposition {

    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private ContentDisposition() {
    }

    /** Plain-ASCII fallback for old clients plus the exact name, percent-encoded as UTF-8. */
    static String attachment(String filename) {
        return "attachment; filename=\"" + asciiFallback(filename) + "\"; filename*=UTF-8''" + encode(filename);
    }

    private static String asciiFallback(String filename) {
        StringBuilder fallback = new StringBuilder(filename.length());
        filename.codePoints().forEach(codePoint -> {
            boolean printableAscii = codePoint >= 0x20 && codePoint < 0x7f;
            fallback.append(printableAscii && codePoint != '"' && codePoint != '\\' && codePoint != '%'
                    ? (char) codePoint : '_');
        });
        return fallback.toString();
    }

    private static String encode(String filename) {
        StringBuilder encoded = new StringBuilder();
        for (byte octet : filename.getBytes(StandardCharsets.UTF_8)) {
            int value = octet & 0xff;
            if (Character.isLetterOrDigit(value) && value < 0x80 || ATTR_CHARS.indexOf(value) >= 0) {
                encoded.append((char) value);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(value >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(value & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
