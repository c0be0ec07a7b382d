package dev.freight.dynamodb.limits;

/**
 * Capacity that refills at a steady rate up to a ceiling (the burst). Not thread-safe: {@link RateLimits} holds its
 * lock around every use.
 */
final class TokenBucket {

    private final double unitsPerSecond;
    private final double ceiling;
    private double units;
    private long refilledAtNanos;

    /**
     * @param burstSeconds   the ceiling, in seconds of the rate
     * @param initialSeconds what a new bucket holds, in seconds of the rate (at most the ceiling)
     */
    TokenBucket(double unitsPerSecond, double burstSeconds, double initialSeconds, long nowNanos) {
        this.unitsPerSecond = unitsPerSecond;
        this.ceiling = unitsPerSecond * burstSeconds;
        this.units = Math.min(ceiling, unitsPerSecond * initialSeconds);
        this.refilledAtNanos = nowNanos;
    }

    void refill(long nowNanos) {
        long elapsed = nowNanos - refilledAtNanos;
        if (elapsed > 0) {
            units = Math.min(ceiling, units + unitsPerSecond * elapsed / 1e9);
            refilledAtNanos = nowNanos;
        }
    }

    /**
     * Whether {@code cost} may be spent now. A cost above the ceiling (one 400 KB item under a high scale factor) is
     * allowed when the bucket is full and leaves a debt that refilling repays, else such an item could never be written.
     */
    boolean allows(double cost) {
        return cost <= 0 || units >= Math.min(cost, ceiling) - 1e-9;
    }

    void spend(double cost) {
        units -= cost;
    }

    /** Full and so indistinguishable from a fresh bucket: safe to forget. */
    boolean isFull() {
        return units >= ceiling;
    }

    double units() {
        return units;
    }
}
