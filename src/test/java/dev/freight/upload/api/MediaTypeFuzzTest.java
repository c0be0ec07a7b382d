package dev.freight.upload.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.freight.upload.api.validation.MediaTypeSyntax;

/**
 * Differential fuzzing of the media-type scanner: on random short texts made of the characters that matter to the
 * grammar it must agree with the regular expression it replaced (correct, only recursive: fine on short inputs),
 * and on long ones it must answer without recursion whatever the text.
 */
class MediaTypeFuzzTest {

    /** The replaced pattern, kept here as the reference (RFC 6838 names, RFC 9110 parameters). */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED_STRING = "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\t \\x21-\\x7E])*\"";
    private static final Pattern REFERENCE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
                    + "(?:[ \\t]*;[ \\t]*(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED_STRING + "))?)*");

    private static final String ALPHABET = "aZ09/;= \t\"\\!#$%&'*+-.^_`|~(),:@\r\n\u00e9\u0000\u007f";

    @Test
    void agreesWithTheReferencePatternOnShortTexts() {
        Random random = new Random(25);
        int accepted = 0;
        for (int round = 0; round < 200_000; round++) {
            String text = round % 2 == 0 ? randomText(random) : mutated(random);
            boolean expected = REFERENCE.matcher(text).matches();
            assertThat(MediaTypeSyntax.wellFormed(text)).as("%s", text.replace("\t", "\\t")).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        // Both sides were exercised.
        assertThat(accepted).isBetween(1_000, 199_000);
    }

    @Test
    void longHostileTextsAreAnsweredWithoutRecursion() {
        Random random = new Random(26);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder("text/plain");
            while (text.length() < 50_000) {
                text.append(random.nextBoolean() ? "; a=b" : random.nextBoolean() ? ";\t" : "; q=\"\\\"x\"");
            }
            if (round % 3 == 0) {
                text.setCharAt(random.nextInt(text.length()), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            MediaTypeSyntax.wellFormed(text.toString()); // no StackOverflowError, whatever the answer
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(16);
        for (int index = 0; index < length; index++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** A well-formed media type with one or two characters changed, inserted or removed. */
    private static String mutated(Random random) {
        String[] seeds = { "text/plain", "text/html;charset=utf-8", "video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"",
                "a/b ; k=\"x\\\\y\"", "image/svg+xml;;", "application/x-thing; k=a!#$%&'*+.^_`|~-" };
        StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
        for (int change = 1 + random.nextInt(2); change > 0 && text.length() > 0; change--) {
            int at = random.nextInt(text.length());
            char character = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.setCharAt(at, character);
                case 1 -> text.insert(at, character);
                default -> text.deleteCharAt(at);
            }
        }
        return text.toString();
    }
}
