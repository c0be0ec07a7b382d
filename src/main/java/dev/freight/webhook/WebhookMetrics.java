package dev.freight.webhook;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The webhook and hook metrics at {@code /q/metrics}: tags are the event type or the hook's decision (small fixed
 * sets), never an endpoint URL or a file id.
 */
@ApplicationScoped
public class WebhookMetrics {

    public static final String EVENTS_WRITTEN = "freight.webhook.events.written";
    public static final String DELIVERED = "freight.webhook.deliveries.succeeded";
    public static final String RETRIED = "freight.webhook.deliveries.retried";
    public static final String DEAD_LETTERED = "freight.webhook.deliveries.dead.lettered";
    public static final String LATENCY = "freight.webhook.delivery.latency";
    public static final String HOOK_CALLS = "freight.hook.pre.create.calls";

    private final MeterRegistry registry;
    private final Timer latency;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (EventType type : EventType.values()) {
            written(type, 0);
            counter(DELIVERED, "Events a receiver answered 2xx", type);
            counter(RETRIED, "Failed attempts followed by another", type);
            counter(DEAD_LETTERED, "Events that ran out of attempts (or whose endpoint answered 410)", type);
        }
        for (String decision : new String[] { "allowed", "refused", "no_answer_allowed", "no_answer_refused" }) {
            hookCounter(decision);
        }
        latency = Timer.builder(LATENCY).description("From the state change to the receiver's 2xx")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void written(EventType type, int deliveries) {
        counter(EVENTS_WRITTEN, "Event deliveries written to the outbox with their state change", type)
                .increment(deliveries);
    }

    public void delivered(EventType type, Duration sinceStateChange) {
        counter(DELIVERED, null, type).increment();
        latency.record(sinceStateChange.isNegative() ? Duration.ZERO : sinceStateChange);
    }

    public void retried(EventType type) {
        counter(RETRIED, null, type).increment();
    }

    public void deadLettered(EventType type) {
        counter(DEAD_LETTERED, null, type).increment();
    }

    /** One pre-create hook call and its decision. */
    public void hookCalled(boolean allowed, boolean answered) {
        hookCounter(answered ? (allowed ? "allowed" : "refused")
                : (allowed ? "no_answer_allowed" : "no_answer_refused")).increment();
    }

    private Counter counter(String name, String description, EventType type) {
        return Counter.builder(name).description(description).tag("type", type.wireName()).register(registry);
    }

    private Counter hookCounter(String decision) {
        return Counter.builder(HOOK_CALLS).description("Pre-create hook calls by decision")
                .tag("decision", decision).register(registry);
    }
}
