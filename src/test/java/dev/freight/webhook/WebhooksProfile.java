package dev.freight.webhook;

import java.util.HashMap;
import java.util.Map;

import dev.freight.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One endpoint and the pre-create hook, both on the tests' own receiver, with a retry schedule of seconds (the
 * default spans a day) and a 1-second delivery pass, so that retries, the lease holder and dead letters happen
 * within a test.
 */
public class WebhooksProfile implements QuarkusTestProfile {

    public static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("freight-webhook-test-secret-32-bytes!!".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    public static final String HOOK_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("freight-pre-create-hook-secret-32-bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdefghijklmnop";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("freight.webhooks.endpoints.receiver.url", WebhookReceiver.urlOf("/events"));
        overrides.put("freight.webhooks.endpoints.receiver.secrets", SECRET);
        overrides.put("freight.webhooks.retry-schedule", "0S,1S,1S,1S,1S,1S,1S,1S");
        overrides.put("freight.webhooks.poll-interval", "1s");
        overrides.put("freight.webhooks.timeout", "1S");
        overrides.put("freight.webhooks.claim", "2S");
        overrides.put("freight.webhooks.admin-token", ADMIN_TOKEN);
        overrides.put("freight.webhooks.pre-create.url", WebhookReceiver.urlOf("/hook"));
        overrides.put("freight.webhooks.pre-create.secrets", HOOK_SECRET);
        overrides.put("freight.webhooks.pre-create.timeout", "1S");
        return overrides;
    }
}
