package dev.freight.upload.service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.CompositeChecksum;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.webhook.FailureReason;
import io.quarkus.logging.Log;

/**
 * Keeps an upload's record in step with what storage holds: records an assembled file (also one a crashed complete
 * left unrecorded), ends uploads whose parts vanished or whose deadline passed, and settles concurrent writes so
 * that the file, once assembled, always wins.
 */
@ApplicationScoped
public class Reconciler {

    private final MultipartStorage storage;
    private final UploadRecords records;
    private final StateChanges changes;
    private final UploadMetrics metrics;
    private final Clock clock;
    private final FreightConfig.Upload settings;

    public Reconciler(MultipartStorage storage, UploadRecords records, StateChanges changes, UploadMetrics metrics,
            Clock clock, FreightConfig config) {
        this.storage = storage;
        this.changes = changes;
        this.records = records;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = config.upload();
    }

    /**
     * Records the assembled file of a complete. For a SHA256 upload, storage's composite checksum must be the one
     * the parts' digests give (a mismatch means the object is not these parts: the upload failed); where storage
     * reports none, the composite of the checked parts is recorded.
     */
    Upload recordCompleted(Upload upload, AssembledObject assembled, List<StoredPart> parts) {
        if (!upload.checksummed()) {
            return recordAssembled(upload, assembled, List.of());
        }
        String expected = CompositeChecksum.of(parts);
        if (assembled.checksumSha256() != null && !assembled.checksumSha256().equals(expected)) {
            Log.errorf("Upload %s: storage assembled an object with checksum %s, its parts give %s", upload.fileId(),
                    assembled.checksumSha256(), expected);
            recordEnded(upload, UploadStatus.FAILED, FailureReason.CHECKSUM_MISMATCH);
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "The assembled object does not match its parts' checksums; the upload failed");
        }
        AssembledObject checked = new AssembledObject(assembled.etag(), expected, assembled.size(),
                assembled.location());
        return recordAssembled(upload, checked, parts.stream().map(StoredPart::checksumSha256).toList());
    }

    /**
     * When storage holds the assembled object (its multipart ETag names this upload's part count, its size is the
     * declared one, and for a SHA256 upload its composite checksum names the part count), records the upload as
     * uploaded: reconciliation after a crash between assembling and recording.
     */
    Optional<Upload> repairIfAssembled(Upload upload) {
        if (upload.isBrowserPost()) {
            return recordIfArrived(upload);
        }
        String partsSuffix = "-" + upload.partCount();
        return storage.findObject(upload.objectKey())
                .filter(object -> object.etag() != null && PartChecks.unquoted(object.etag()).endsWith(partsSuffix))
                .filter(object -> object.size() == null || object.size() == upload.fileSize())
                .filter(object -> !upload.checksummed() || object.checksumSha256() == null
                        || object.checksumSha256().endsWith(partsSuffix))
                .map(object -> {
                    Log.warnf("Upload %s was assembled but not recorded; repairing the record", upload.fileId());
                    metrics.uploadSettled(UploadStatus.UPLOADED, upload.fileSize());
                    // The parts' digests went with the multipart upload; the composite checksum stays.
                    return recordAssembled(upload, object, List.of());
                });
    }

    /**
     * When storage holds the file a browser POST form sent (nobody tells Freight it arrived: status, the listing and
     * the sweeper ask), records it uploaded with the size storage holds; the owner's open bytes drop from the form's
     * bound to that size first.
     */
    Optional<Upload> recordIfArrived(Upload upload) {
        if (!upload.isUploading()) {
            return Optional.empty();
        }
        return storage.findObject(upload.objectKey()).filter(object -> object.size() != null).map(object -> {
            long size = object.size();
            Upload sized = upload.sized(size, new PartPlan(size, size, 1));
            try {
                records.declareSize(upload, sized);
            } catch (StaleUploadException changedMeanwhile) {
                // Another call recorded it (or ended it) first: its record is the answer.
                return records.find(upload.fileId()).orElseThrow(UploadService::notFound);
            }
            Log.infof("Upload %s arrived by a browser POST: %d bytes", upload.fileId(), size);
            metrics.uploadSettled(UploadStatus.UPLOADED, size);
            return recordAssembled(sized, object, List.of());
        });
    }

    /**
     * Storage no longer knows the multipart upload: either a previous complete assembled the object but did not
     * get to record it (the record is repaired), or the parts are gone for good (the upload failed).
     */
    Upload reconcileVanished(Upload upload) {
        return repairIfAssembled(upload).orElseGet(() -> {
            Log.warnf("Upload %s vanished from storage; recorded as failed", upload.fileId());
            return recordEnded(upload, UploadStatus.FAILED, FailureReason.VANISHED);
        });
    }

    /**
     * Ends an upload past its deadline: storage drops its parts and the record says {@code failed} until the TTL
     * removes it (or {@code uploaded}, when its file turns out to be assembled). Called lazily on access and by
     * the sweeper.
     */
    public Upload expire(Upload upload) {
        abortQuietly(upload);
        Optional<Upload> assembled = repairIfAssembled(upload);
        if (assembled.isPresent()) {
            return assembled.get();
        }
        Log.infof("Upload %s expired unfinished", upload.fileId());
        return recordEnded(upload, UploadStatus.FAILED, FailureReason.EXPIRED);
    }

    /**
     * Puts a {@code completing} upload back to {@code uploading} after an assembly that did not happen, so the
     * client may complete again; a record another call changed meanwhile (it ended, or was repaired) is kept.
     */
    void reopen(Upload completing) {
        try {
            records.update(completing.reopened());
        } catch (StaleUploadException changedMeanwhile) {
            Log.debugf("Upload %s changed during its assembly; kept as it is", completing.fileId());
        } catch (RuntimeException unavailable) {
            // Still completing: the next status repairs it if the file is there, else a complete retakes it.
            Log.warnf("Upload %s could not be reopened after its assembly failed", completing.fileId());
        }
    }

    /** Records that the upload ended without a file; the record stays readable for the retention period. */
    Upload recordEnded(Upload upload, UploadStatus finalStatus, FailureReason reason) {
        metrics.uploadSettled(finalStatus, upload.fileSize());
        return record(upload.ended(finalStatus, clock.instant().plus(settings.endedRetention())), reason);
    }

    /** Asks storage to drop the parts; a failure is left to the sweeper and the bucket's lifecycle rule. */
    void abortQuietly(Upload upload) {
        if (upload.isBrowserPost()) {
            // No multipart upload: a form's policy expires by itself.
            return;
        }
        try {
            storage.abortMultipartUpload(upload.objectKey(), upload.uploadId());
        } catch (RuntimeException alsoFailed) {
            Log.warnf("Could not abort the multipart upload of %s; the bucket lifecycle rule will", upload.fileId());
        }
    }

    /**
     * Records that storage holds the assembled file. The file is the truth: a concurrent write that recorded
     * anything else (a failure seen mid-assembly) is overwritten; one that recorded the upload already wins.
     */
    private Upload recordAssembled(Upload upload, AssembledObject object, List<String> partChecksums) {
        Upload current = upload;
        for (int attempt = 0; attempt < 3; attempt++) {
            Upload completed = current.completed(object.etag(), object.checksumSha256(), partChecksums,
                    object.location(), clock.instant());
            try {
                changes.completed(completed);
                return completed;
            } catch (StaleUploadException lost) {
                current = records.find(upload.fileId()).orElseThrow(UploadService::notFound);
                if (current.status() == UploadStatus.UPLOADED) {
                    return current;
                }
            }
        }
        throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                "The upload kept changing while its file was recorded; complete again");
    }

    /** Writes {@code next}; when another request changed the record first, its final state wins. */
    private Upload record(Upload next, FailureReason reason) {
        try {
            changes.ended(next, reason);
            return next;
        } catch (StaleUploadException lost) {
            return records.find(next.fileId()).orElseThrow(UploadService::notFound);
        }
    }
}
