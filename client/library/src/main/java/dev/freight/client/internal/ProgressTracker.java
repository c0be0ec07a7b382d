package dev.freight.client.internal;

import java.util.ArrayDeque;

import dev.freight.client.Phase;
import dev.freight.client.Progress;
import dev.freight.client.ProgressListener;

/** Counts bytes and parts for one transfer, computes the recent rate, and throttles listener calls. */
public final class ProgressTracker {

    private static final long WINDOW_NANOS = 5_000_000_000L;

    private final ProgressListener listener;
    private final long intervalNanos;
    private final String name;
    private final long totalBytes;
    private volatile String fileId;
    private int partCount;
    private Phase phase = Phase.PREPARING;
    private long transferred;
    private long acknowledged;
    private int inFlight;
    private int done;
    private long lastReport;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    ProgressTracker(ProgressListener listener, long intervalMillis, String name, long totalBytes) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.name = name;
        this.totalBytes = totalBytes;
    }

    public synchronized void start(String fileId, int partCount, long alreadyHeld, int partsHeld) {
        this.fileId = fileId;
        this.partCount = partCount;
        this.transferred = alreadyHeld;
        this.acknowledged = alreadyHeld;
        this.done = partsHeld;
        samples.clear();
        report(true);
    }

    public void phase(Phase next) {
        Progress snapshot;
        synchronized (this) {
            if (phase == next) {
                return;
            }
            phase = next;
            snapshot = snapshot();
        }
        listener.onPhase(next, snapshot);
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized void partStarted() {
        inFlight++;
        report(true);
    }

    public synchronized void bytes(long count) {
        transferred += count;
        report(false);
    }

    /** A part storage acknowledged: its bytes count as held. */
    public synchronized void partDone(long partBytes, long bytesCountedInFlight) {
        inFlight--;
        done++;
        transferred += partBytes - bytesCountedInFlight;
        acknowledged += partBytes;
        report(true);
    }

    /** A part found held in storage while resuming (no bytes sent). */
    public synchronized void partFound(long partBytes) {
        done++;
        transferred += partBytes;
        acknowledged += partBytes;
        report(true);
    }

    /** A failed attempt: its bytes are taken back. */
    public synchronized void partFailed(long bytesCountedInFlight, boolean stillInFlight) {
        transferred -= bytesCountedInFlight;
        if (!stillInFlight) {
            inFlight--;
        }
        report(true);
    }

    public synchronized Progress snapshot() {
        return new Progress(fileId, name, phase, totalBytes, transferred, acknowledged, inFlight, done, partCount,
                rate(System.nanoTime()));
    }

    private double rate(long now) {
        samples.addLast(new long[] {now, transferred});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        long elapsed = now - first[0];
        if (elapsed < 200_000_000L) {
            return 0;
        }
        return Math.max(0, (transferred - first[1]) * 1e9 / elapsed);
    }

    /** Called with the lock held; the listener runs outside only for phase changes (progress is cheap to hand over). */
    private void report(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastReport < intervalNanos) {
            return;
        }
        lastReport = now;
        listener.onProgress(snapshot());
    }
}
