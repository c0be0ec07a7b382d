package dev.freight.upload.api.validation;

/**
 * Whether text is a media type as RFC 9110 section 8.3.1 writes one, read by a hand-written scanner in one pass
 * (no regular expression: a pattern with a repeated group recursed once per {@code ; a=b} parameter and overflowed
 * the stack on long inputs):
 * <pre>
 * media-type = type "/" subtype parameters
 * parameters = *( OWS ";" OWS [ parameter ] )
 * parameter  = parameter-name "=" parameter-value
 * parameter-value = ( token / quoted-string )
 * </pre>
 * Type and subtype are RFC 6838 restricted names (a letter or digit, then up to 126 of
 * {@code A-Za-z0-9!#$&^_.+-}); names and unquoted values are RFC 9110 tokens; OWS is spaces and tabs only, never a
 * line break; a quoted-string holds visible ASCII, spaces and tabs, and quoted-pairs ({@code \"}, {@code \\}).
 * obs-text (bytes over 0x7F) is refused: the value becomes the object's Content-Type header.
 */
public final class MediaTypeSyntax {

    private static final int MAX_NAME_LENGTH = 127;
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final String RESTRICTED_NAME_SYMBOLS = "!#$&^_.+-";

    private final String text;
    private int at;

    private MediaTypeSyntax(String text) {
        this.text = text;
    }

    /** Whether {@code text} is a well-formed media type. Linear in its length. */
    public static boolean wellFormed(String text) {
        MediaTypeSyntax scanner = new MediaTypeSyntax(text);
        return scanner.restrictedName() && scanner.take('/') && scanner.restrictedName() && scanner.parameters();
    }

    private boolean parameters() {
        while (true) {
            int beforeWhitespace = at;
            skipWhitespace();
            if (at == text.length()) {
                return at == beforeWhitespace; // OWS only before a ';', never trailing
            }
            if (!take(';')) {
                return false;
            }
            skipWhitespace();
            // "[ parameter ]": an empty parameter ("text/plain;") is allowed.
            if (at < text.length() && text.charAt(at) != ';' && !parameter()) {
                return false;
            }
        }
    }

    private boolean parameter() {
        if (!token() || !take('=')) {
            return false;
        }
        return at < text.length() && text.charAt(at) == '"' ? quotedString() : token();
    }

    private boolean restrictedName() {
        int start = at;
        if (at == text.length() || !isLetterOrDigit(text.charAt(at))) {
            return false;
        }
        at++;
        while (at < text.length() && (isLetterOrDigit(text.charAt(at))
                || RESTRICTED_NAME_SYMBOLS.indexOf(text.charAt(at)) >= 0)) {
            at++;
        }
        return at - start <= MAX_NAME_LENGTH;
    }

    private boolean token() {
        int start = at;
        while (at < text.length() && isTokenCharacter(text.charAt(at))) {
            at++;
        }
        return at > start;
    }

    private boolean quotedString() {
        at++; // the opening quote
        while (at < text.length()) {
            char next = text.charAt(at++);
            if (next == '"') {
                return true;
            }
            if (next == '\\') {
                if (at == text.length() || !isQuotable(text.charAt(at))) {
                    return false;
                }
                at++;
            } else if (!isQuotable(next)) {
                return false;
            }
        }
        return false; // no closing quote
    }

    private boolean take(char expected) {
        if (at < text.length() && text.charAt(at) == expected) {
            at++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
    }

    /** HTAB, SP and visible ASCII: what a quoted-pair may escape; qdtext is the same without '"' and '\'. */
    private static boolean isQuotable(char character) {
        return character == '\t' || character >= ' ' && character <= '~';
    }

    private static boolean isTokenCharacter(char character) {
        return isLetterOrDigit(character) || TOKEN_SYMBOLS.indexOf(character) >= 0;
    }

    private static boolean isLetterOrDigit(char character) {
        return character >= 'A' && character <= 'Z' || character >= 'a' && character <= 'z'
                || character >= '0' && character <= '9';
    }
}
