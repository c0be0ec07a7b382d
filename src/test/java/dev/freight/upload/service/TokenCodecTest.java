package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.support.MutableClock;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.UploadGrant;
import dev.freight.upload.service.TokenCodec.Refusal;
import dev.freight.upload.service.TokenCodec.RefusedToken;

/**
 * The one signed-token format behind upload tokens and Companion capabilities: what it seals opens again under any
 * configured key, anything altered, foreign or expired is refused with its reason, and tokens issued before the codec
 * existed (kept here as text) still verify, so no token in a client's hands broke.
 */
class TokenCodecTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String OLD_KEY = "ZnJlaWdodC10ZXN0LXVwbG9hZC10b2tlbi1rZXktcHVibGljLTE=";
    private static final String NEW_KEY = Base64.getEncoder()
            .encodeToString("freight-test-upload-token-key-public-2".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void whatItSealsOpensWithItsExpiryAndFields() {
        TokenCodec codec = codec("tt1.", List.of(OLD_KEY));
        String token = codec.seal(NOW.plusSeconds(60), out -> out.writeUTF("alice"));

        assertThat(token).startsWith("tt1.").matches("tt1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        String opened = codec.open(token, (expiresAt, in) -> expiresAt + " " + in.readUTF());
        assertThat(opened).isEqualTo(NOW.plusSeconds(60) + " alice");
    }

    @Test
    void theFirstKeySignsAndEveryConfiguredKeyVerifies() {
        String before = codec("tt1.", List.of(OLD_KEY)).seal(NOW.plusSeconds(60), out -> out.writeUTF("a"));
        TokenCodec rotating = codec("tt1.", List.of(NEW_KEY, OLD_KEY));
        String after = rotating.seal(NOW.plusSeconds(60), out -> out.writeUTF("b"));

        assertThat(text(rotating, before)).isEqualTo("a");
        assertThat(text(rotating, after)).isEqualTo("b");
        assertRefused(codec("tt1.", List.of(OLD_KEY)), after, Refusal.FORGED);
        assertRefused(codec("tt1.", List.of()), before, Refusal.FORGED);
        assertThatThrownBy(() -> codec("tt1.", List.of()).seal(NOW, out -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void alteredForeignOrMalformedTokensAreRefusedWithTheirReason() {
        TokenCodec codec = codec("tt1.", List.of(OLD_KEY));
        String token = codec.seal(NOW.plusSeconds(60), out -> out.writeUTF("alice"));
        int macStart = token.lastIndexOf('.');
        String payload = token.substring(4, macStart);
        String mac = token.substring(macStart + 1);
        String otherPayload = codec.seal(NOW.plusSeconds(60), out -> out.writeUTF("mallory")).split("\\.")[1];

        assertRefused(codec, "tt1." + otherPayload + "." + mac, Refusal.FORGED);
        assertRefused(codec, "tt1." + payload + "." + flipFirst(mac), Refusal.FORGED);
        assertRefused(codec, "xx1." + payload + "." + mac, Refusal.NOT_A_TOKEN);
        assertRefused(codec("xx1.", List.of(OLD_KEY)), token, Refusal.NOT_A_TOKEN);
        assertRefused(codec, token + "=", Refusal.NOT_A_TOKEN);
        assertRefused(codec, "tt1." + mac, Refusal.NOT_A_TOKEN);
        assertRefused(codec, "tt1.." + mac, Refusal.NOT_A_TOKEN);
        assertRefused(codec, token + "A".repeat(200), Refusal.NOT_A_TOKEN);
        // Authentic, but of another version, or shorter than its reader expects.
        TokenCodec version2 = new TokenCodec("tt1.", 2, 200, List.of(OLD_KEY), clock);
        assertRefused(codec, version2.seal(NOW.plusSeconds(60), out -> out.writeUTF("alice")), Refusal.UNKNOWN_VERSION);
        String shortOne = codec.seal(NOW.plusSeconds(60), out -> out.writeByte(1));
        assertThatThrownBy(() -> codec.open(shortOne, (expiresAt, in) -> in.readLong()))
                .isInstanceOfSatisfying(RefusedToken.class, refused -> assertThat(refused.refusal())
                        .isEqualTo(Refusal.MALFORMED));
    }

    @Test
    void aTokenExpiresAtItsExpiry() {
        TokenCodec codec = codec("tt1.", List.of(OLD_KEY));
        codec.requireUnexpired(NOW.plusSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> codec.requireUnexpired(NOW.plusSeconds(1)))
                .isInstanceOfSatisfying(RefusedToken.class, refused -> assertThat(refused.refusal())
                        .isEqualTo(Refusal.EXPIRED));
    }

    /** Issued by UploadTokens and CompanionCapabilities as they were before the codec: the wire format is kept. */
    @Test
    void tokensIssuedBeforeTheCodecStillVerifyAndAreIssuedTheSame() {
        Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
        UploadTokens tokens = new UploadTokens(List.of(OLD_KEY), fixed);
        UUID fileId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
        String uploadToken = "ft1.AQAAAABrFq3QDw4NDAsKSQiHBgUEAwIBAAAAAAAAoAAAAAAAAABQAAAAAAACAQAFYWxpY2UACHVwbG9hZC0x"
                + "ACQwZjBlMGQwYy0wYjBhLTQ5MDgtODcwNi0wNTA0MDMwMjAxMDA.7mydwwShKvC3fiUhIHYDxVzJahKkcWsVvxWn6HDp4Eg";
        UploadGrant grant = new UploadGrant("alice", fileId, "upload-1", fileId.toString(), 10L << 20, 5L << 20, 2,
                ChecksumAlgorithm.SHA256, NOW.plusSeconds(3600));

        assertThat(tokens.verify(uploadToken, fileId, "alice")).isEqualTo(grant);
        assertThat(tokens.issue(grant)).isEqualTo(uploadToken);

        CompanionCapabilities capabilities = new CompanionCapabilities(List.of(OLD_KEY), Duration.ofHours(4), fixed);
        String alice = "fc1.AQAAAABrFtgAAAVhbGljZQAFQWxpY2U.eeGy1xe5e0E3vifHkhxQLX7EwGf_1nZvfAxk7PVz1h0";
        String bob = "fc1.AQAAAABrFtgAAANib2IAAA.moRdt7c-o3rZtiWlsFW57eBaN0cmWjOgk4gfOx4_QgI";
        assertThat(capabilities.verify(alice)).isEqualTo(new CompanionCapabilities.Holder("alice", "Alice",
                NOW.plus(Duration.ofHours(4))));
        assertThat(capabilities.verify(bob)).isEqualTo(new CompanionCapabilities.Holder("bob", null,
                NOW.plus(Duration.ofHours(4))));
        assertThat(capabilities.issue("alice", "Alice")).isEqualTo(alice);
        assertThat(capabilities.issue("bob", null)).isEqualTo(bob);

        // One kind never passes for the other, though both are signed under the same key.
        assertThatThrownBy(() -> capabilities.verify(uploadToken)).isInstanceOfSatisfying(FreightException.class,
                refused -> assertThat(refused.problemType()).isEqualTo(ProblemType.UNAUTHORIZED));
        assertThatThrownBy(() -> tokens.verify(alice, fileId, "alice")).isInstanceOfSatisfying(FreightException.class,
                refused -> assertThat(refused.problemType()).isEqualTo(ProblemType.INVALID_REQUEST));
    }

    @Test
    void eachKindWordsItsRefusalsAsBefore() {
        MutableClock later = new MutableClock(NOW);
        UploadTokens tokens = new UploadTokens(List.of(OLD_KEY), later);
        CompanionCapabilities capabilities = new CompanionCapabilities(List.of(OLD_KEY), Duration.ofHours(4), later);
        UUID fileId = UUID.randomUUID();
        String token = tokens.issue(new UploadGrant("alice", fileId, "u", fileId.toString(), 1, 1, 1,
                ChecksumAlgorithm.NONE, NOW.plusSeconds(60)));
        String capability = capabilities.issue("alice", null);

        assertThatThrownBy(() -> tokens.verify(token, UUID.randomUUID(), "alice"))
                .hasMessage("upload_token is for another upload");
        assertThatThrownBy(() -> tokens.verify(token, fileId, "bob")).isInstanceOfSatisfying(FreightException.class,
                refused -> assertThat(refused.problemType()).isEqualTo(ProblemType.UPLOAD_NOT_FOUND));
        assertThatThrownBy(() -> tokens.verify("ft1.x", fileId, "alice")).hasMessage("upload_token is not an upload token");
        assertThatThrownBy(() -> capabilities.verify("fc1.x")).hasMessage("The Companion capability is not a Companion capability");
        later.advance(Duration.ofHours(5));
        assertThatThrownBy(() -> tokens.verify(token, fileId, "alice")).hasMessage("upload_token has expired: the upload"
                + " is no longer resumable, or check its status for a new token");
        assertThatThrownBy(() -> capabilities.verify(capability))
                .hasMessage("The Companion capability has expired: ask the app for a new Companion URL");
    }

    private TokenCodec codec(String prefix, List<String> keys) {
        return new TokenCodec(prefix, 1, 200, keys, clock);
    }

    private static String text(TokenCodec codec, String token) {
        return codec.open(token, (expiresAt, in) -> in.readUTF());
    }

    private static void assertRefused(TokenCodec codec, String token, Refusal reason) {
        assertThatThrownBy(() -> text(codec, token)).as(token)
                .isInstanceOfSatisfying(RefusedToken.class, refused -> assertThat(refused.refusal()).isEqualTo(reason));
    }

    private static String flipFirst(String text) {
        return (text.charAt(0) == 'A' ? "B" : "A") + text.substring(1);
    }
}
