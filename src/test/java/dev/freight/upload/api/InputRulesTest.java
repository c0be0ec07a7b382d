package dev.freight.upload.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.MediaTypeSyntax;
import dev.freight.upload.api.validation.SafeText;
import dev.freight.problem.FreightException;

/** Table tests of the input rules, both sides: every well-formed value the RFCs allow, none of the rest. */
class InputRulesTest {

    @ParameterizedTest
    @ValueSource(strings = { "video/mp4", "VIDEO/MP4", "application/vnd.apple.mpegurl", "image/svg+xml",
            "video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"", "video/mp4;codecs=\"avc1.42E01E, mp4a.40.2\"",
            "audio/webm; codecs=opus", "video/webm; codecs=\"vp8, vorbis\"", "text/plain; charset=utf-8",
            "text/plain ; charset=\"utf-8\"", "text/plain;\tcharset=utf-8", "text/plain; charset=utf-8; format=flowed",
            "application/x-thing; name=\"a \\\"quoted\\\" word\"", "application/x-thing; name=\"back\\\\slash\"",
            "application/x-thing; name=\"\"", "text/plain;", "text/plain; ; charset=utf-8",
            "video/mp4; codecs=\"hvc1.1.6.L93.B0\"", "application/x-thing; k=a!#$%&'*+.^_`|~-",
            // RFC 9110 section 8.3.1's own examples of one media type written four ways
            "text/html;charset=utf-8", "text/html;charset=\"utf-8\"", "Text/HTML;Charset=\"utf-8\"",
            "text/html; charset=utf-8", "text/plain;\t;\t;a=b", "a/b; q=\"\\\t\"" })
    void acceptsMediaTypes(String mediaType) {
        assertThat(MediaTypeSyntax.wellFormed(mediaType)).as(mediaType).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "video", "video/", "/mp4", "video/mp4/extra", "video mp4", "video/mp4; codecs",
            "video/mp4; codecs=", "video/mp4; codecs=\"unterminated", "video/mp4; codecs=\"a\"b\"",
            "video/mp4; codecs=a b", "video/mp4; codecs=\"a\\\"", "video/mp4\r\nX-Injected: 1",
            "video/mp4; codecs=\"a\nb\"", "video/mp4; codecs=\"caf\u00e9\"", "video/mp4; c\u00f6decs=x",
            "video/mp4; codecs=(a)", "video/mp4 ", "video/mp4; =x", "-video/mp4",
            // RFC 9110 section 8.3.1: no whitespace around '=' or '/', none at the end, nothing after a quoted value
            "text/html; charset = utf-8", "text/html / x", "text /html", "text/html;charset=utf-8 ",
            "text/html; charset=\"utf-8\" x", "text/html;charset=\"\\", "text/html\u00a0;a=b", "", ";", "a/b;a" })
    void refusesOtherText(String mediaType) {
        assertThat(MediaTypeSyntax.wellFormed(mediaType)).as(mediaType).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "plain.txt", "Résumé.pdf", "家族写真.jpg", "👩‍👩‍👧 family.mov",
            // Supplementary planes: Tangut components (U+18800), U+1D800 (Sutton SignWriting), U+2D800 (CJK Ext. F)
            "\uD822\uDC00.txt", "\uD836\uDC00 sign.txt", "\uD876\uDC00 ideograph.txt", "\uD83D\uDE00.png",
            "\uD840\uDC00\uD869\uDEDF.doc", "a\u200Db.txt" })
    void acceptsWellFormedNames(String name) {
        assertThat(SafeText.problemWith(name, 255, true)).as(name).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "lone\uD800high.txt", "lone\uDC00low.txt", "end\uD836", "\uDE00start", "tab\there",
            "bidi\u202Eevil.txt", "bom\uFEFF.txt", "non\uFFFEchar", "plane1\uD83F\uDFFEnon", "\uFDD0x", "a/b", "a\\b",
            ".", "..", "tag\uDB40\uDC01char" })
    void refusesOtherNames(String name) {
        assertThat(SafeText.problemWith(name, 255, true)).as(name).isNotNull();
    }

    /**
     * Inputs that made the old pattern recurse once per parameter (a StackOverflowError and a 500): the length rule
     * answers first, and the scanner itself stays linear when the length is not checked.
     */
    @Test
    void hostileMediaTypesAreRefusedWithoutRecursion() {
        String manyParameters = "text/plain" + "; a=b".repeat(1_300);
        String longQuoted = "text/plain; a=\"" + "x".repeat(2_500) + "\"";
        for (String hostile : new String[] { manyParameters, longQuoted }) {
            FreightException refused = org.assertj.core.api.Assertions.catchThrowableOfType(FreightException.class,
                    () -> FieldChecks.parameters().mediaType("file_type", hostile, 255, "bad").throwIfAny());
            assertThat(refused.errors()).singleElement().satisfies(error -> assertThat(error.message())
                    .isEqualTo("size must be between 0 and 255"));
        }
        // Far longer than any pattern could take, well-formed and not: one pass, no stack growth.
        assertThat(MediaTypeSyntax.wellFormed("text/plain" + "; a=b".repeat(200_000))).isTrue();
        assertThat(MediaTypeSyntax.wellFormed("text/plain; a=\"" + "\\\"".repeat(200_000) + "\"")).isTrue();
        assertThat(MediaTypeSyntax.wellFormed("text/plain" + "; a=b".repeat(200_000) + " ")).isFalse();
    }
}
