package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.freight.problem.FreightException;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.UploadGrant;

/**
 * An upload_token has one spelling: every other last character of its MAC (or of its payload) is refused, also
 * where it decodes to the same bytes (the unused low bits of a base64 character), and so is padding.
 */
class UploadTokenSpellingTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final UploadTokens tokens = new UploadTokens(
            List.of("ZnJlaWdodC10ZXN0LXVwbG9hZC10b2tlbi1rZXktcHVibGljLTE="), Clock.fixed(NOW, ZoneOffset.UTC));
    private final UUID fileId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
    private final String token = tokens.issue(new UploadGrant("alice", fileId, "upload-1", fileId.toString(),
            10L << 20, 5L << 20, 2, ChecksumAlgorithm.SHA256, NOW.plusSeconds(3600)));

    @Test
    void everyOtherLastCharacterOfTheMacIsRefused() {
        assertThat(tokens.verify(token, fileId, "alice").uploadId()).isEqualTo("upload-1");
        String head = token.substring(0, token.length() - 1);
        char last = token.charAt(token.length() - 1);
        int sameBytes = 0;
        for (char other : ALPHABET.toCharArray()) {
            if (other == last) {
                continue;
            }
            if (java.util.Arrays.equals(java.util.Base64.getUrlDecoder().decode(macOf(head + other)),
                    java.util.Base64.getUrlDecoder().decode(macOf(token)))) {
                sameBytes++;
            }
            assertRefused(head + other);
        }
        // A 32-byte MAC is 43 characters, the last carrying 2 unused bits: 3 others decode to the same MAC.
        assertThat(sameBytes).isEqualTo(3);
        assertRefused(token + "=");
    }

    @Test
    void everyOtherLastCharacterOfThePayloadIsRefused() {
        int macStart = token.lastIndexOf('.');
        String head = token.substring(0, macStart - 1);
        char last = token.charAt(macStart - 1);
        for (char other : ALPHABET.toCharArray()) {
            if (other != last) {
                assertRefused(head + other + token.substring(macStart));
            }
        }
    }

    private static String macOf(String text) {
        return text.substring(text.lastIndexOf('.') + 1);
    }

    private void assertRefused(String altered) {
        FreightException refused = catchThrowableOfType(FreightException.class,
                () -> tokens.verify(altered, fileId, "alice"));
        assertThat(refused).as(altered).isNotNull();
        assertThat(refused.problemType().status()).isEqualTo(400);
        assertThat(refused.errors()).singleElement().satisfies(error -> assertThat(error.field())
                .isEqualTo("upload_token"));
    }
}
