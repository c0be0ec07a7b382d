package dev.freight.client.internal;

/** A shared byte budget per second across all parts of a transfer (0 = unlimited). */
public final class RateLimiter {

    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    RateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Waits until {@code bytes} more may be sent; false when interrupted. */
    public boolean acquire(long bytes, Cancellation cancel) {
        if (bytesPerSecond <= 0) {
            return true;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
            waitNanos = start - now;
        }
        return waitNanos <= 0 || cancel.sleep(waitNanos / 1_000_000L);
    }
}
