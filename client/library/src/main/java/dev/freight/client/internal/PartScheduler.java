package dev.freight.client.internal;

import dev.freight.client.UploadCancelledException;

/**
 * The client's one gate for transfers (upload parts and download ranges of every task alike), as the page's
 * part-scheduler.js: at most {@code maxConnections} on the wire at once, and a pause all of them share after a
 * 429 or 503 ("slow down" is said to the client, not to one part), so three uploads do not open three times the
 * connections nor keep hammering a throttled service.
 */
public final class PartScheduler {

    /** How often a waiter looks at its cancel flag. */
    private static final long POLL_MILLIS = 50;

    private final int maxConnections;
    private int inUse;
    private int peak;
    private long pausedUntilMillis;
    private int pauses;

    public PartScheduler(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        this.maxConnections = maxConnections;
    }

    /** A held connection; closing it frees it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Waits until no pause is on and a connection is free, then holds it. */
    public Slot acquire(Cancellation cancel, String fileId) throws UploadCancelledException {
        synchronized (this) {
            while (true) {
                RetryLoop.checkCancelled(cancel, fileId);
                long pause = pausedUntilMillis - System.currentTimeMillis();
                if (pause <= 0 && inUse < maxConnections) {
                    inUse++;
                    peak = Math.max(peak, inUse);
                    break;
                }
                waitAWhile(pause > 0 ? pause : POLL_MILLIS);
            }
        }
        boolean[] freed = {false};
        return () -> {
            synchronized (this) {
                if (!freed[0]) {
                    freed[0] = true;
                    inUse--;
                    notifyAll();
                }
            }
        };
    }

    /** Pauses every transfer and service call of the client for {@code millis} (a longer pause on wins). */
    public synchronized void pauseFor(long millis) {
        long until = System.currentTimeMillis() + millis;
        if (until > pausedUntilMillis) {
            pausedUntilMillis = until;
        }
        pauses++;
    }

    /** Waits while a pause is on (service calls wait here without holding a connection). */
    public synchronized void awaitClear(Cancellation cancel, String fileId) throws UploadCancelledException {
        long pause;
        while ((pause = pausedUntilMillis - System.currentTimeMillis()) > 0) {
            RetryLoop.checkCancelled(cancel, fileId);
            waitAWhile(pause);
        }
    }

    public synchronized int inUse() {
        return inUse;
    }

    /** The most connections held at once so far. */
    public synchronized int peak() {
        return peak;
    }

    /** How many 429/503 answers paused the client so far. */
    public synchronized int pauses() {
        return pauses;
    }

    private void waitAWhile(long millis) {
        try {
            wait(Math.max(1, Math.min(millis, POLL_MILLIS)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
