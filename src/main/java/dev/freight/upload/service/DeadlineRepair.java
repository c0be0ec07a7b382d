package dev.freight.upload.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.freight.problem.FreightException;
import dev.freight.upload.model.Upload;
import io.quarkus.logging.Log;

/**
 * Settles records past their deadline, shard by shard of the index of unfinished records. Each shard is worked on by
 * one worker at a time across all instances (a lease per shard, held for the rest of the sweep interval); several
 * workers of one instance take different shards at once, so a backlog spread over the shards is worked down in
 * parallel, and on as many instances as there are. Every run visits every shard whose lease is free, starting at a
 * shard that moves on from run to run (not always shard 0), each up to its own bound of repairs, so no shard waits
 * behind another's backlog.
 */
final class DeadlineRepair {

    /** Lease names, one per shard: {@code deadline-repair#<shard>}. */
    static final String LEASE_PREFIX = "deadline-repair#";

    private final UploadRecords records;
    private final SweepLease lease;
    private final Reconciler reconciler;
    private final Clock clock;
    private final Duration completeTimeout;
    private final int repairsPerShard;
    private final int workers;
    private final Duration leaseTime;
    private final String holder;
    private final AtomicInteger nextFirstShard = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    DeadlineRepair(UploadRecords records, SweepLease lease, Reconciler reconciler, Clock clock,
            Duration completeTimeout, int repairsPerShard, int workers, Duration leaseTime, String holder) {
        this.records = records;
        this.lease = lease;
        this.reconciler = reconciler;
        this.clock = clock;
        this.completeTimeout = completeTimeout;
        this.repairsPerShard = repairsPerShard;
        this.workers = workers;
        this.leaseTime = leaseTime;
        this.holder = holder;
    }

    /** One pass over the shards whose lease this instance gets; answers how many records it settled. */
    int run(Instant started) {
        List<Integer> order = visitOrder(records.deadlineShards(), nextFirstShard.getAndIncrement());
        AtomicInteger next = new AtomicInteger();
        int threads = Math.max(1, Math.min(workers, order.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "freight-deadline-repair");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int worker = 0; worker < threads; worker++) {
                done.add(pool.submit(() -> {
                    int settled = 0;
                    for (int index = next.getAndIncrement(); index < order.size(); index = next.getAndIncrement()) {
                        settled += repairShard(order.get(index), started);
                    }
                    return settled;
                }));
            }
            int settled = 0;
            for (Future<Integer> worker : done) {
                settled += worker.get();
            }
            return settled;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(failed.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every shard once, from {@code first} (modulo the count) on. */
    static List<Integer> visitOrder(int shards, int first) {
        List<Integer> order = new ArrayList<>(shards);
        for (int step = 0; step < shards; step++) {
            order.add(Math.floorMod(first + step, shards));
        }
        return order;
    }

    /**
     * Settles the shard's records past their deadline, earliest first, up to the bound, if this instance gets the
     * shard's lease (kept until the interval ends, so no other worker takes the shard again before then).
     */
    private int repairShard(int shard, Instant started) {
        String name = LEASE_PREFIX + shard;
        if (lease.acquire(name, holder, clock.instant(), started.plus(leaseTime)).isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        int settled = 0;
        for (UUID fileId : records.pastDeadline(shard, now, repairsPerShard)) {
            // The index lags the table: act only on what a consistent read still shows past its deadline.
            Optional<Upload> upload = records.find(fileId).filter(found -> found.isAbandoned(now));
            if (upload.isEmpty() || upload.get().assemblyMayBeRunning(now, completeTimeout)) {
                continue;
            }
            try {
                reconciler.expire(upload.get());
                settled++;
            } catch (FreightException notNow) {
                // The record kept changing or storage refused: the next run finds it again.
                Log.warnf("Upload %s past its deadline not settled: %s", fileId, notNow.getMessage());
            }
        }
        return settled;
    }
}
