package dev.freight.client.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.freight.client.FreightException;

/**
 * Works through one task's parts on {@code parallelism} threads of its own (the client-wide
 * {@link PartScheduler} decides who is on the wire); the first failure stops the others.
 */
public final class PartRunner {

    /** What is done for one part. */
    public interface PartWork {
        void run(int partNumber) throws IOException;
    }

    private PartRunner() {
    }

    /**
     * Runs {@code work} for every part in {@code parts}, in order of start; returns when all ended. The first
     * failure cancels {@code stop} (so the others end at their next step) and is thrown; parts not started by then
     * are left.
     */
    public static void runAll(List<Integer> parts, int parallelism, PartWork work, Cancellation stop, String fileId,
            String threadName) throws IOException {
        if (parts.isEmpty()) {
            return;
        }
        AtomicReference<FreightException> failure = new AtomicReference<>();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, parts.size()), job -> {
            Thread thread = new Thread(job, threadName + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int part : parts) {
                pool.execute(() -> {
                    if (failure.get() != null || stop.cancelled()) {
                        return;
                    }
                    try {
                        work.run(part);
                    } catch (FreightException stopped) {
                        fail(failure, stopped, stop);
                    } catch (IOException | RuntimeException unexpected) {
                        fail(failure, new FreightException("Part " + part + ": " + unexpected, fileId, unexpected),
                                stop);
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // Parts end at their next step once stopped; keep waiting for them.
            }
        } catch (InterruptedException interrupted) {
            stop.cancel();
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        FreightException first = failure.get();
        if (first != null) {
            throw first;
        }
        RetryLoop.checkCancelled(stop, fileId);
    }

    private static void fail(AtomicReference<FreightException> failure, FreightException stopped, Cancellation stop) {
        if (failure.compareAndSet(null, stopped)) {
            stop.cancel();
        }
    }
}
