package dev.freight.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.freight.support.WebhookReceiver;
import dev.freight.support.WebhookReceiver.HookAnswer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The hook's no-answer choice both ways, against a real HTTP hook that is too slow, answers 500 or answers
 * nonsense: "allow" lets the init go on, "refuse" stops it, and a real answer is always followed. Plain JUnit.
 */
class PreCreateHookNoAnswerTest {

    private final WebhookReceiver receiver = WebhookReceiver.standalone();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        receiver.stop();
    }

    @Test
    void noAnswerInTimeAllowsOrRefusesAsConfigured() {
        receiver.answerHook(body -> new HookAnswer(200, "{\"allow\":false,\"reason\":\"too late\"}", 1500));
        PreCreateHook.Decision allowing = hook("allow").ask(Map.of("filename", "a.bin"));
        assertThat(allowing.allowed()).isTrue();
        assertThat(allowing.answered()).isFalse();
        PreCreateHook.Decision refusing = hook("refuse").ask(Map.of("filename", "a.bin"));
        assertThat(refusing.allowed()).isFalse();
        assertThat(refusing.reason()).isEqualTo("the hook did not answer in time");

        receiver.answerHook(body -> new HookAnswer(500, "oops", 0));
        assertThat(hook("allow").ask(Map.of()).allowed()).isTrue();
        assertThat(hook("refuse").ask(Map.of()).reason()).isEqualTo("the hook answered HTTP 500");
        receiver.answerHook(body -> new HookAnswer(200, "{\"allow\":\"yes\"}", 0));
        assertThat(hook("refuse").ask(Map.of()).reason()).isEqualTo("the hook's answer lacks a boolean \"allow\"");

        receiver.answerHook(body -> new HookAnswer(200, "{\"allow\":false,\"reason\":\"no\"}", 0));
        PreCreateHook.Decision answered = hook("allow").ask(Map.of());
        assertThat(answered.allowed()).isFalse();
        assertThat(answered.answered()).isTrue();
        assertThat(registry.get(WebhookMetrics.HOOK_CALLS).tag("decision", "no_answer_allowed").counter().count())
                .isEqualTo(2);
        assertThat(registry.get(WebhookMetrics.HOOK_CALLS).tag("decision", "refused").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aHookUrlWithoutASecretIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new PreCreateHook(Optional.of(URI.create(receiver.url("/hook"))), List.of(),
                Duration.ofSeconds(1), "refuse", null, null, Clock.systemUTC()))
                .hasMessageContaining("freight.webhooks.pre-create.secrets is not set");
        assertThatThrownBy(() -> new PreCreateHook(Optional.of(URI.create(receiver.url("/hook"))),
                List.of(WebhooksProfile.HOOK_SECRET), Duration.ofSeconds(1), "maybe", null, null, Clock.systemUTC()))
                .hasMessageContaining("refuse or allow");
    }

    private PreCreateHook hook(String onNoAnswer) {
        return new PreCreateHook(Optional.of(URI.create(receiver.url("/hook"))),
                List.of(WebhooksProfile.HOOK_SECRET), Duration.ofMillis(400), onNoAnswer,
                new WebhookSender(Duration.ofMillis(400), Clock.systemUTC()), new WebhookMetrics(registry),
                Clock.systemUTC());
    }
}
