package dev.freight.upload.service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.OpenMultipartUpload;
import dev.freight.upload.storage.MultipartStorage;
import dev.freight.upload.storage.UploadRecords;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Aborts multipart uploads nobody can finish any more: those of uploads past their deadline (the record then says
 * {@code failed}) and orphans with no record at all (an init whose metadata write failed). It walks storage's list
 * of open multipart uploads, so it needs no scan of the table; instances may run it side by side (every write is
 * conditional, aborting twice is harmless). The bucket's lifecycle rule is the backstop.
 */
@ApplicationScoped
public class AbandonedUploadSweeper {

    private final MultipartStorage storage;
    private final UploadRecords records;
    private final Reconciler reconciler;
    private final FreightConfig.Upload settings;
    private final Clock clock;

    AbandonedUploadSweeper(MultipartStorage storage, UploadRecords records, Reconciler reconciler, Clock clock,
            FreightConfig config) {
        this.storage = storage;
        this.records = records;
        this.reconciler = reconciler;
        this.clock = clock;
        this.settings = config.upload();
    }

    @Scheduled(every = "${freight.upload.sweep-interval}", delayed = "${freight.upload.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepOnSchedule() {
        try {
            sweep();
        } catch (RuntimeException storageTrouble) {
            Log.warnf("Sweep of abandoned uploads skipped: %s", storageTrouble.getClass().getSimpleName());
        }
    }

    /** Runs one sweep now; answers how many multipart uploads it ended. */
    public int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        for (OpenMultipartUpload open : storage.listMultipartUploadsStartedBefore(now.minus(settings.expireAfter()))) {
            var fileId = parseFileId(open.objectKey());
            if (fileId.isEmpty()) {
                continue; // not a key Freight chose: leave it alone
            }
            var upload = records.find(fileId.get()).filter(found -> found.uploadId().equals(open.uploadId()));
            if (upload.isEmpty()) {
                storage.abortMultipartUpload(open.objectKey(), open.uploadId());
                ended++;
            } else if (upload.get().isAbandoned(now)) {
                reconciler.expire(upload.get());
                ended++;
            }
        }
        if (ended > 0) {
            Log.infof("Swept %d abandoned multipart upload(s)", ended);
        }
        return ended;
    }

    private static java.util.Optional<UUID> parseFileId(String objectKey) {
        try {
            return java.util.Optional.of(UUID.fromString(objectKey));
        } catch (IllegalArgumentException notOurs) {
            return java.util.Optional.empty();
        }
    }
}
