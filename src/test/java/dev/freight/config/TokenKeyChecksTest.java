package dev.freight.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Start-up refuses a missing, short, non-base64 or third token key, saying which (prod has no default key). */
class TokenKeyChecksTest {

    private static final String KEY_32 = "ZnJlaWdodC10ZXN0LXVwbG9hZC10b2tlbi1rZXktcHVibGljLTE=";

    @Test
    void oneOrTwoBase64KeysOfAtLeast32BytesPass() {
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32)))).isEmpty();
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32,
                "bmV3LWtleS1hZnRlci1yb3RhdGlvbi0wMTIzNDU2Nzg5YWJj")))).isEmpty();
    }

    @Test
    void aMissingShortMalformedOrThirdKeyIsRefusedByName() {
        assertThat(ConfigChecks.tokenKeyProblems(Optional.empty())).singleElement().asString()
                .contains("FREIGHT_UPLOAD_TOKEN_KEYS", "openssl rand -base64 32");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of("c2hvcnQ=")))).singleElement().asString()
                .contains("shorter than 32 bytes");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32, "not base64!")))).singleElement()
                .asString().contains("key 2 is not base64");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32, KEY_32, KEY_32)))).singleElement()
                .asString().contains("at most two");
    }
}
