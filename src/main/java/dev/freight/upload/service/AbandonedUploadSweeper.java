package dev.freight.upload.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.upload.model.OpenMultipartUpload;
import dev.freight.upload.model.OpenUploadsPage;
import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Settles what nobody will finish: records past their deadline (found through the records' deadline index, so also
 * those whose multipart upload is already gone: assembled by a complete that died before recording it, or
 * aborted) and multipart uploads nobody can finish (past their deadline, or orphans whose init never wrote a
 * record). One instance at a time runs it, holding a lease in the record store for one interval; each run is
 * bounded, and the walk through storage's open multipart uploads goes on from where the last run (on any instance)
 * stopped. The bucket's lifecycle rule is the backstop.
 */
@ApplicationScoped
public class AbandonedUploadSweeper {

    /** The lease every instance's sweeper competes for. */
    static final String LEASE = "abandoned-upload-sweeper";

    /** How much one run may do, and how long its lease lasts. */
    record Limits(int maxPages, int maxRepairs, Duration lease) {
    }

    /**
     * What one run did.
     *
     * @param ran false when another instance held the lease (nothing was done)
     * @param repaired records past their deadline settled through the deadline index
     * @param aborted multipart uploads ended by the walk through storage (expired or orphaned)
     * @param pages pages of open multipart uploads read
     * @param resumedFrom where the walk started
     * @param stoppedAt where the next run goes on ({@link SweepCursor#START} when the walk went through)
     */
    public record Run(boolean ran, int repaired, int aborted, int pages, SweepCursor resumedFrom,
            SweepCursor stoppedAt) {

        static Run skipped(int repaired) {
            return new Run(false, repaired, 0, 0, null, null);
        }

        public int ended() {
            return repaired + aborted;
        }
    }

    private final MultipartStorage storage;
    private final UploadRecords records;
    private final SweepLease lease;
    private final Reconciler reconciler;
    private final Clock clock;
    private final Duration expireAfter;
    private final Duration completeTimeout;
    private final Limits limits;
    private final String leaseName;
    private final String holder;
    private final DeadlineRepair deadlineRepair;

    @Inject
    AbandonedUploadSweeper(MultipartStorage storage, UploadRecords records, SweepLease lease, Reconciler reconciler,
            Clock clock, FreightConfig config) {
        this(storage, records, lease, reconciler, clock, config, limitsOf(config.upload()), LEASE,
                instanceId());
    }

    /** A sweeper with its own limits, lease name and holder id (tests build two side by side). */
    AbandonedUploadSweeper(MultipartStorage storage, UploadRecords records, SweepLease lease, Reconciler reconciler,
            Clock clock, FreightConfig config, Limits limits, String leaseName, String holder) {
        this.storage = storage;
        this.records = records;
        this.lease = lease;
        this.reconciler = reconciler;
        this.clock = clock;
        this.expireAfter = config.upload().expireAfter();
        this.completeTimeout = config.upload().completeTimeout();
        this.limits = limits;
        this.leaseName = leaseName;
        this.holder = holder;
        this.deadlineRepair = new DeadlineRepair(records, lease, reconciler, clock, completeTimeout,
                limits.maxRepairs(), config.upload().repairWorkers(), limits.lease(), holder);
    }

    @Scheduled(every = "${freight.upload.sweep-interval}", delayed = "${freight.upload.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepOnSchedule() {
        try {
            run();
        } catch (RuntimeException storageTrouble) {
            // The lease runs out by itself; whoever takes it next goes on from the last stored cursor.
            Log.warnf("Sweep of abandoned uploads stopped: %s", storageTrouble.getClass().getSimpleName());
        }
    }

    /** Runs one sweep now (if this instance gets the lease); answers how many uploads it ended. */
    public int sweep() {
        return run().ended();
    }

    /** Runs one sweep now if this instance gets the lease. */
    public Run run() {
        Instant started = clock.instant();
        // Shard by shard under leases of their own: every instance's workers take part.
        int repaired = deadlineRepair.run(started);
        int recounted = records.recountRefusedQuotas();
        if (recounted > 0) {
            Log.infof("Recounted the quota of %d owner(s) whose counters had drifted", recounted);
        }
        Optional<SweepCursor> resumeAt = lease.acquire(leaseName, holder, started, started.plus(limits.lease()));
        if (resumeAt.isEmpty()) {
            Log.debugf("Sweep skipped: another instance holds the lease");
            return Run.skipped(repaired);
        }
        SweepCursor position = resumeAt.get();
        int aborted = 0;
        int pages = 0;
        boolean held = true;
        while (pages < limits.maxPages()) {
            OpenUploadsPage page = storage.listMultipartUploads(position);
            pages++;
            for (OpenMultipartUpload open : page.uploads()) {
                if (endIfAbandoned(open, clock.instant())) {
                    aborted++;
                }
            }
            position = page.next() == null ? SweepCursor.START : page.next();
            // Progress is kept page by page: a run that dies goes on from here on whichever instance runs next.
            held = lease.advance(leaseName, holder, position, clock.instant().plus(limits.lease()));
            if (!held || position.isStart()) {
                break;
            }
        }
        if (held) {
            // Hold the lease for the rest of the interval, so no other instance sweeps again before it is over.
            lease.advance(leaseName, holder, position, started.plus(limits.lease()));
        } else {
            Log.warnf("Sweep stopped: the lease was taken over (this run outlived it)");
        }
        Run run = new Run(true, repaired, aborted, pages, resumeAt.get(), position);
        if (run.ended() > 0) {
            Log.infof("Swept %d abandoned upload(s): %d past their deadline, %d multipart upload(s) aborted",
                    run.ended(), repaired, aborted);
        }
        return run;
    }

    /** Gives the lease back at shutdown, so another instance need not wait for it to run out. */
    void onStop(@Observes ShutdownEvent stop) {
        try {
            lease.release(leaseName, holder, clock.instant());
        } catch (RuntimeException storageGone) {
            Log.debugf("Sweep lease not released at shutdown: %s", storageGone.getClass().getSimpleName());
        }
    }

    private boolean assemblyMayBeRunning(Upload upload, Instant now) {
        return upload.assemblyMayBeRunning(now, completeTimeout);
    }

    private boolean endIfAbandoned(OpenMultipartUpload open, Instant now) {
        if (open.initiated() == null || !open.initiated().isBefore(now.minus(expireAfter))) {
            return false;
        }
        Optional<UUID> fileId = parseFileId(open.objectKey());
        if (fileId.isEmpty()) {
            return false; // not a key Freight chose: leave it alone
        }
        Optional<Upload> upload = records.find(fileId.get())
                .filter(found -> found.uploadId().equals(open.uploadId()));
        if (upload.isEmpty()) {
            storage.abortMultipartUpload(open.objectKey(), open.uploadId());
            return true;
        }
        if (upload.get().isAbandoned(now) && !assemblyMayBeRunning(upload.get(), now)) {
            reconciler.expire(upload.get());
            return true;
        }
        return false;
    }

    static Limits limitsOf(FreightConfig.Upload settings) {
        return new Limits(settings.sweepMaxPages(), settings.sweepMaxRepairs(), interval(settings.sweepInterval()));
    }

    /** The sweep interval as the scheduler reads it ("15m", "1h", "PT30S", "2d"); 15 minutes if it is not one. */
    static Duration interval(String every) {
        String text = every.trim();
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            if (text.endsWith("d") || text.endsWith("D")) {
                return Duration.parse("P" + text);
            }
            return Duration.parse("PT" + text);
        } catch (DateTimeParseException notADuration) {
            return Duration.ofMinutes(15);
        }
    }

    private static String instanceId() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "" : host + "/") + UUID.randomUUID();
    }

    private static Optional<UUID> parseFileId(String objectKey) {
        try {
            return Optional.of(UUID.fromString(objectKey));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }
}
