package dev.freight.config;

import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.problem.RetryAfter;

/**
 * A {@code Retry-After} drawn uniformly from {@code freight.storage.retry-after-min} to {@code -max} (whole seconds)
 * for every answer: clients refused together return spread over the range instead of in one wave.
 */
@ApplicationScoped
public class JitteredRetryAfter implements RetryAfter {

    private final long minSeconds;
    private final long maxSeconds;

    @Inject
    JitteredRetryAfter(FreightConfig config) {
        this(config.storage().retryAfterMin().getSeconds(), config.storage().retryAfterMax().getSeconds());
    }

    JitteredRetryAfter(long minSeconds, long maxSeconds) {
        this.minSeconds = minSeconds;
        this.maxSeconds = Math.max(minSeconds, maxSeconds);
    }

    @Override
    public long nextSeconds() {
        return ThreadLocalRandom.current().nextLong(minSeconds, maxSeconds + 1);
    }
}
