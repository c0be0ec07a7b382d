package dev.freight.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.Startup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.config.FreightConfig;
import io.quarkus.logging.Log;

/**
 * The optional pre-create hook: before an init creates anything, Freight POSTs the init's facts and the caller to a
 * configured URL, signed as webhooks are ({@code upload.pre_create}); the answer {@code {"allow": true,
 * "metadata": {...}}} lets the upload start (adding the metadata), {@code {"allow": false, "reason": "..."}}
 * refuses it. No answer in time, a non-2xx status or an answer of another shape is "no answer": refused or allowed
 * as configured (refused by default).
 */
@ApplicationScoped
@Startup
public class PreCreateHook {

    public static final String TYPE = "upload.pre_create";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON_LENGTH = 500;

    /**
     * The hook's decision.
     *
     * @param metadata what to add to the upload's metadata (empty when nothing)
     * @param reason why it refused (or why there was no answer), shown to the client
     * @param answered false when the configured no-answer choice decided
     */
    public record Decision(boolean allowed, Map<String, String> metadata, String reason, boolean answered) {
    }

    private final Optional<URI> url;
    private final Optional<WebhookSigner> signer;
    private final Duration timeout;
    private final boolean allowWithoutAnswer;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final Clock clock;

    @Inject
    PreCreateHook(FreightConfig config, WebhookSender sender, WebhookMetrics metrics, Clock clock) {
        this(config.webhooks().preCreate().url().filter(text -> !text.isBlank()).map(text -> URI.create(text.trim())),
                config.webhooks().preCreate().secrets().orElse(List.of()), config.webhooks().preCreate().timeout(),
                config.webhooks().preCreate().onNoAnswer(), sender, metrics, clock);
    }

    /**
     * A hook at {@code url} (none when empty).
     *
     * @param onNoAnswer {@code refuse} or {@code allow}
     * @throws IllegalStateException for a URL without a secret, or another no-answer choice
     */
    public PreCreateHook(Optional<URI> url, List<String> secrets, Duration timeout, String onNoAnswer,
            WebhookSender sender, WebhookMetrics metrics, Clock clock) {
        this.url = url;
        List<String> given = secrets.stream().filter(secret -> !secret.isBlank()).toList();
        if (url.isPresent() && given.isEmpty()) {
            throw new IllegalStateException("Invalid webhook configuration: freight.webhooks.pre-create.secrets is not"
                    + " set: the hook's requests are signed with a whsec_ secret");
        }
        String choice = onNoAnswer.trim();
        if (!choice.equals("refuse") && !choice.equals("allow")) {
            throw new IllegalStateException("Invalid webhook configuration: freight.webhooks.pre-create.on-no-answer"
                    + " is refuse or allow, not " + choice);
        }
        this.signer = url.map(ignored -> new WebhookSigner(given));
        this.timeout = timeout;
        this.allowWithoutAnswer = choice.equals("allow");
        this.sender = sender;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** No hook: every init is allowed as it is. */
    public static PreCreateHook none() {
        return new PreCreateHook(Optional.empty(), List.of(), Duration.ZERO, "refuse", null, null, null);
    }

    public boolean configured() {
        return url.isPresent();
    }

    /** Asks the hook about an init described by {@code data}; allows at once when no hook is configured. */
    public Decision ask(Map<String, Object> data) {
        if (url.isEmpty()) {
            return new Decision(true, Map.of(), null, true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE);
        body.put("timestamp", clock.instant().toString());
        body.put("data", data);
        Decision decision;
        try {
            WebhookSender.Answer answer = sender.exchange(url.get(), UploadEvents.messageId(),
                    JSON.writeValueAsString(body), signer.get(), timeout);
            decision = answer.status() >= 200 && answer.status() < 300 ? read(answer.body())
                    : noAnswer("the hook answered HTTP " + answer.status());
        } catch (IOException noAnswer) {
            decision = noAnswer("the hook did not answer in time");
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            decision = noAnswer("interrupted");
        }
        metrics.hookCalled(decision.allowed(), decision.answered());
        if (!decision.answered()) {
            Log.warnf("Pre-create hook: %s; the init is %s", decision.reason(),
                    decision.allowed() ? "allowed" : "refused");
        }
        return decision;
    }

    private Decision read(String answer) {
        JsonNode node;
        try {
            node = JSON.readTree(answer);
        } catch (JsonProcessingException notJson) {
            return noAnswer("the hook's answer is not JSON");
        }
        if (node == null || !node.path("allow").isBoolean()) {
            return noAnswer("the hook's answer lacks a boolean \"allow\"");
        }
        if (!node.get("allow").booleanValue()) {
            String reason = node.path("reason").isTextual() ? node.get("reason").textValue() : "refused by the hook";
            return new Decision(false, Map.of(),
                    reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason, true);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode added = node.path("metadata");
        if (!added.isMissingNode() && !added.isNull()) {
            if (!added.isObject()) {
                return noAnswer("the hook's \"metadata\" is not an object");
            }
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) added::fields) {
                if (!field.getValue().isTextual()) {
                    return noAnswer("the hook's metadata value of " + field.getKey() + " is not a string");
                }
                metadata.put(field.getKey(), field.getValue().textValue());
            }
        }
        return new Decision(true, Map.copyOf(metadata), null, true);
    }

    private Decision noAnswer(String why) {
        return new Decision(allowWithoutAnswer, Map.of(), why, false);
    }
}
