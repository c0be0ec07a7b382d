package dev.freight.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;

/** The configured receivers: start-up refuses a URL without a secret (and other mistakes), naming each. */
class WebhookEndpointsTest {

    @Test
    void startUpRefusesAnEndpointWithoutASecretNamingIt() {
        assertThatThrownBy(() -> WebhookEndpoints.of(Map.of("crm", endpoint("https://crm.example/hooks", null, null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("freight.webhooks.endpoints.crm.secrets is not set");
        assertThatThrownBy(() -> WebhookEndpoints.of(Map.of("crm", endpoint("ftp://crm.example", List.of(
                WebhookSignerTest.secret()), List.of("upload.created", "upload.deleted")))))
                .hasMessageContaining("freight.webhooks.endpoints.crm.url must be an http(s) URL")
                .hasMessageContaining("unknown types [upload.deleted]");
    }

    @Test
    void eachEndpointGetsTheTypesItAsksFor() {
        WebhookEndpoints endpoints = WebhookEndpoints.of(Map.of(
                "crm", endpoint("https://crm.example/hooks", List.of(WebhookSignerTest.secret()), List.of(
                        "upload.completed")),
                "index", endpoint("https://index.example/in", List.of(WebhookSignerTest.secret()), null)));
        assertThat(endpoints.subscribers(EventType.CREATED)).containsExactly("index");
        assertThat(endpoints.subscribers(EventType.COMPLETED)).containsExactly("crm", "index");
        assertThat(WebhookEndpoints.of(Map.of()).any()).isFalse();
    }

    private static FreightConfig.Endpoint endpoint(String url, List<String> secrets, List<String> types) {
        return new FreightConfig.Endpoint() {
            public String url() {
                return url;
            }

            public Optional<List<String>> secrets() {
                return Optional.ofNullable(secrets);
            }

            public Optional<List<String>> eventTypes() {
                return Optional.ofNullable(types);
            }
        };
    }
}
