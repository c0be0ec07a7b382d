package dev.freight.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently transient failures are retried: exponential backoff with jitter, or what
 * {@code Retry-After} asks (at most two minutes). The defaults are the page's (src/test/vectors/retry-decisions.json).
 */
public final class RetryPolicy {

    /** The longest wait a {@code Retry-After} header gets. */
    static final long RETRY_AFTER_CAP_MILLIS = 120_000;

    private final int maxAttempts;
    private final long initialDelayMillis;
    private final long maxDelayMillis;

    /**
     * @param maxAttempts tries per request, the first included (1 = no retry)
     * @param initialDelayMillis the first wait; each later wait doubles, up to {@code maxDelayMillis}
     */
    public RetryPolicy(int maxAttempts, long initialDelayMillis, long maxDelayMillis) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** Eight tries, waits from 250-500 ms up to 15-30 s, as the browser app. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, 500, 30_000);
    }

    /** The same waits with another number of tries. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialDelayMillis, maxDelayMillis);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Milliseconds to wait before try {@code attempt + 1} (attempt counts from 1): what {@code Retry-After} asks when
     * it asks a wait (at most {@link #RETRY_AFTER_CAP_MILLIS}: a misconfigured or hostile header must not stall a
     * transfer), else half the exponential step plus a random share of the other half, so parallel parts do not
     * retry in lock-step.
     */
    public long delayMillis(int attempt, String retryAfter) {
        long asked = retryAfterMillis(retryAfter);
        if (asked > 0) {
            return Math.min(asked, RETRY_AFTER_CAP_MILLIS);
        }
        long step = Math.min(maxDelayMillis, initialDelayMillis << Math.min(20, attempt - 1));
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    /** {@code Retry-After} in milliseconds (delta-seconds form), 0 when absent or unreadable. */
    static long retryAfterMillis(String retryAfter) {
        if (retryAfter == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim()) * 1000);
        } catch (NumberFormatException dateForm) {
            try {
                long at = java.time.ZonedDateTime.parse(retryAfter.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, at - System.currentTimeMillis());
            } catch (RuntimeException unreadable) {
                return 0;
            }
        }
    }
}
