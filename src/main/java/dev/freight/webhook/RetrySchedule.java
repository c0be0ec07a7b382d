package dev.freight.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;

/**
 * When an event's attempts happen: the configured waits (by default the Standard Webhooks example schedule: at once,
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), each wait after the first stretched by up to 10 % at random so that
 * receivers that came back are not hit by every retry at once. After the last attempt the event is dead-lettered.
 */
@ApplicationScoped
public class RetrySchedule {

    private final List<Duration> waits;

    @Inject
    RetrySchedule(FreightConfig config) {
        this(config.webhooks().retrySchedule());
    }

    public RetrySchedule(List<Duration> waits) {
        if (waits.isEmpty() || waits.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalStateException("freight.webhooks.retry-schedule needs at least one wait, none negative");
        }
        this.waits = List.copyOf(waits);
    }

    /** How many attempts an event gets. */
    public int attempts() {
        return waits.size();
    }

    /**
     * The wait before attempt {@code attempt + 1} after {@code attempt} attempts failed; empty when that was the
     * last one.
     */
    public java.util.Optional<Duration> waitAfter(int attempt) {
        if (attempt >= waits.size()) {
            return java.util.Optional.empty();
        }
        Duration wait = waits.get(attempt);
        long jitter = wait.toMillis() / 10;
        return java.util.Optional.of(jitter <= 0 ? wait
                : wait.plusMillis(ThreadLocalRandom.current().nextLong(jitter + 1)));
    }
}
