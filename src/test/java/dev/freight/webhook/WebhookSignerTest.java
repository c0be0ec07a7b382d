package dev.freight.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.freight.support.StandardWebhooksVerifier;
import dev.freight.support.StandardWebhooksVerifier.Delivery;
import dev.freight.support.StandardWebhooksVerifier.Verdict;

/**
 * Freight's signatures checked by an independent verifier, the npm {@code standardwebhooks} package under Node: a
 * genuine message passes, under either secret while one rotates; a changed body, id, an old timestamp or another
 * secret fails. One Node process for every case (well under a second).
 */
class WebhookSignerTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theReferenceVerifierAcceptsGenuineMessagesAndRefusesTamperedOnes() {
        String current = secret();
        String previous = secret();
        WebhookSigner rotating = new WebhookSigner(List.of(current, previous));
        String id = "msg_0b4c1f7e9a2d4e36b5c8d1e0f2a3b4c5";
        long now = Instant.now().getEpochSecond();
        String body = "{\"type\":\"upload.completed\",\"timestamp\":\"2026-12-07T22:00:00Z\",\"data\":{\"name\":\"\u00e9t\u00e9 \ud83c\udf1e.mp4\"}}";
        String signature = rotating.sign(id, now, body);
        assertThat(signature).matches("v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=");

        long old = now - 6 * 60; // the verifier's tolerance is 5 minutes
        List<Verdict> verdicts = StandardWebhooksVerifier.verify(List.of(
                new Delivery(current, body, headers(id, now, signature)),
                new Delivery(previous, body, headers(id, now, signature)),
                new Delivery(current, body.replace("completed", "aborted"), headers(id, now, signature)),
                new Delivery(current, body, headers("msg_other", now, signature)),
                new Delivery(current, body, headers(id, old, rotating.sign(id, old, body))),
                new Delivery(secret(), body, headers(id, now, signature))));

        assertThat(verdicts).extracting(Verdict::ok).containsExactly(true, true, false, false, false, false);
        assertThat(verdicts.get(2).error()).isEqualTo("No matching signature found");
        assertThat(verdicts.get(4).error()).isEqualTo("Message timestamp too old");
        assertThat(rotating.verifies(id, now, body, signature)).isTrue();
        assertThat(rotating.verifies(id, now, body + " ", signature)).isFalse();
    }

    @Test
    void refusesSecretsTheSpecificationDoesNotAllow() {
        assertThatThrownBy(() -> new WebhookSigner(List.of("c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0")))
                .hasMessageContaining("starts with whsec_");
        assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_" + Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("at least 24 bytes");
        assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_not base64!"))).hasMessageContaining("base64");
        assertThatThrownBy(() -> new WebhookSigner(List.of(secret())).sign("msg.1", 1, "{}"))
                .hasMessageContaining("'.'");
    }

    static String secret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }
}
