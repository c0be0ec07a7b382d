package dev.freight.upload.api.validation;

import java.nio.charset.StandardCharsets;

/**
 * Text a person typed that Freight stores and shows again: well-formed Unicode, no control characters, no
 * invisible formatting characters that can disguise it (bidirectional overrides such as U+202E, BOM), within a
 * length in characters and in UTF-8 bytes. For file names, also no path separators and not "." or "..".
 */
public final class SafeText {

    /** Every UTF-8 character takes at most 4 bytes. */
    private static final int MAX_BYTES_PER_CHARACTER = 4;
    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private SafeText() {
    }

    /** What is wrong with {@code value}, or null when it is acceptable. */
    public static String problemWith(String value, int maxLength, boolean fileName) {
        if (value.codePointCount(0, value.length()) > maxLength
                || value.getBytes(StandardCharsets.UTF_8).length > maxLength * MAX_BYTES_PER_CHARACTER) {
            return "must be at most " + maxLength + " characters";
        }
        for (int index = 0; index < value.length();) {
            int codePoint = value.codePointAt(index);
            // codePointAt answers a lone surrogate as itself; a pair is one supplementary code point (never cast it
            // to char: U+1D800 would become U+D800).
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                return "must be well-formed Unicode";
            }
            if (Character.getType(codePoint) == Character.CONTROL) {
                return "must not contain control characters";
            }
            // Format characters (bidi overrides, BOM, invisible operators) can make a name read as another one;
            // the joiners stay allowed because emoji and several scripts need them.
            if (Character.getType(codePoint) == Character.FORMAT && codePoint != ZERO_WIDTH_JOINER
                    && codePoint != ZERO_WIDTH_NON_JOINER) {
                return "must not contain invisible formatting characters such as U+"
                        + String.format("%04X", codePoint);
            }
            if ((codePoint & 0xFFFE) == 0xFFFE || codePoint >= 0xFDD0 && codePoint <= 0xFDEF) {
                return "must not contain Unicode noncharacters";
            }
            if (fileName && (codePoint == '/' || codePoint == '\\')) {
                return "must be a file name without path separators";
            }
            index += Character.charCount(codePoint);
        }
        if (fileName && (value.equals(".") || value.equals(".."))) {
            return "must be a file name, not a directory reference";
        }
        return null;
    }
}
