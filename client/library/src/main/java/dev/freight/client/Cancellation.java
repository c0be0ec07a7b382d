package dev.freight.client;

/** A cancel flag that also wakes sleeping retries. */
final class Cancellation {

    private volatile boolean cancelled;

    void cancel() {
        synchronized (this) {
            cancelled = true;
            notifyAll();
        }
    }

    boolean cancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    /** Sleeps up to {@code millis}; false when woken by a cancel or an interrupt. */
    boolean sleep(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (this) {
            while (!cancelled) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                try {
                    wait(left);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
