package dev.freight.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.failure.FailureCause;
import dev.freight.upload.failure.StorageFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.Unremovable;

/**
 * Freight's domain metrics, scraped at {@code /q/metrics}. Tags are fixed small sets (storage, cause, checksum):
 * never a file id, author or URL, so the series count stays constant however many uploads there are.
 */
@ApplicationScoped
@Unremovable
public class UploadMetrics {

    public static final String UPLOADS_INITIATED = "freight.uploads.initiated";
    public static final String UPLOADS_COMPLETED = "freight.uploads.completed";
    public static final String UPLOADS_FAILED = "freight.uploads.failed";
    public static final String UPLOADS_ABORTED = "freight.uploads.aborted";
    public static final String BYTES_COMPLETED = "freight.uploads.completed.bytes";
    public static final String PART_URLS_SIGNED = "freight.part.urls.signed";
    public static final String COMPLETE_DURATION = "freight.upload.complete.duration";
    public static final String STORAGE_ERRORS = "freight.storage.errors";

    private final MeterRegistry registry;
    private final Counter initiated;
    private final Counter completed;
    private final Counter failed;
    private final Counter aborted;
    private final Counter bytesCompleted;
    private final Counter partUrlsSigned;
    private final Counter checksumPartUrlsSigned;
    private final Timer completeDuration;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        initiated = Counter.builder(UPLOADS_INITIATED).description("Uploads started (init succeeded)").register(registry);
        completed = Counter.builder(UPLOADS_COMPLETED).description("Uploads assembled and recorded as uploaded")
                .register(registry);
        failed = Counter.builder(UPLOADS_FAILED).description("Uploads that can no longer be completed (parts vanished)")
                .register(registry);
        aborted = Counter.builder(UPLOADS_ABORTED).description("Uploads aborted by their client").register(registry);
        bytesCompleted = Counter.builder(BYTES_COMPLETED).baseUnit("bytes")
                .description("Size of the files completed").register(registry);
        partUrlsSigned = partUrlCounter(false);
        checksumPartUrlsSigned = partUrlCounter(true);
        completeDuration = Timer.builder(COMPLETE_DURATION)
                .description("Time of a successful complete: part check against storage, assembly and record")
                .publishPercentileHistogram(false).register(registry);
        // Pre-register every cause so dashboards and alerts see zeros instead of missing series.
        for (String storage : new String[] { "s3", "dynamodb" }) {
            for (FailureCause cause : FailureCause.values()) {
                storageErrorCounter(storage, cause);
            }
        }
    }

    public void uploadInitiated() {
        initiated.increment();
    }

    public void partUrlSigned(boolean checksumBound) {
        (checksumBound ? checksumPartUrlsSigned : partUrlsSigned).increment();
    }

    /** A timestamp to pass to {@link #uploadCompleted(long, long)}. */
    public long startComplete() {
        return System.nanoTime();
    }

    public void uploadCompleted(long fileSize, long startedNanos) {
        completed.increment();
        bytesCompleted.increment(fileSize);
        completeDuration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * An upload was settled without a complete of its own: {@code failed} (parts vanished, or expired unfinished) or
     * {@code uploaded} (a crashed complete's assembled file found and recorded). Aborts are counted by
     * {@link #uploadAborted()}.
     */
    public void uploadSettled(UploadStatus status, long fileSize) {
        if (status == UploadStatus.FAILED) {
            failed.increment();
        } else if (status == UploadStatus.UPLOADED) {
            completed.increment();
            bytesCompleted.increment(fileSize);
        }
    }

    public void uploadAborted() {
        aborted.increment();
    }

    /** Counts a failed storage call, tagged with the cause that also decided the client's answer. */
    void onStorageFailure(@Observes StorageFailure failure) {
        storageErrorCounter(failure.storage().toLowerCase(Locale.ROOT), failure.cause()).increment();
    }

    private Counter partUrlCounter(boolean checksumBound) {
        return Counter.builder(PART_URLS_SIGNED).tag("checksum", String.valueOf(checksumBound))
                .description("Presigned part PUT URLs handed out").register(registry);
    }

    private Counter storageErrorCounter(String storage, FailureCause cause) {
        return Counter.builder(STORAGE_ERRORS).tag("storage", storage).tag("cause", cause.tag())
                .description("Failed S3 and DynamoDB calls, by storage and cause").register(registry);
    }
}
