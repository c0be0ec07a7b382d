package dev.freight.upload.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every fact Freight keeps about one upload; the storage-agnostic form of a metadata record. A small identity
 * (who, which file id, which request, which version) and four groups that change apart: what the file is (fixed at
 * init), where its parts go (fixed at init), where it is in its life, and what storage assembled (once uploaded).
 * The one-line accessors below read through to the groups.
 *
 * @param owner who started the upload (the caller's subject), the only one allowed to see it
 * @param requestHash fingerprint of the init request when it carried an Idempotency-Key, else null
 * @param version optimistic-locking counter, incremented by every write
 */
public record Upload(UUID fileId, String owner, FileFacts file, PartTarget target, Lifecycle lifecycle,
        Outcome outcome, String requestHash, long version) {

    /**
     * What the client said about the file at init.
     *
     * @param declaredChecksum the whole file's SHA-256 (base64) as the client declared it at init, if it did
     */
    public record FileFacts(String filename, String fileType, long size, String authorName, Instant createdAt,
            String declaredChecksum, Map<String, String> metadata) {

        public FileFacts {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }

    /**
     * The multipart upload the parts go to and how the file is split.
     *
     * @param checksumAlgorithm how storage guards each part (chosen at init, fixed for the upload's life)
     */
    public record PartTarget(String uploadId, String objectKey, PartPlan plan, ChecksumAlgorithm checksumAlgorithm) {
    }

    /**
     * Where the upload is in its life.
     *
     * @param expiresAt when an unfinished upload counts as abandoned; null once it is final
     * @param deleteAfter when storage may delete the record (DynamoDB TTL): a grace period after an unfinished
     *     upload expires or ends without a file; null for uploaded files, which are kept
     * @param completingSince when the last assembly started: while {@code completing}, the running one; kept when
     *     the upload is reopened ({@code uploading} again), because storage may have assembled the file though its
     *     answer was lost; null when no complete reached storage, and once the upload is final
     */
    public record Lifecycle(UploadStatus status, Instant initiatedAt, Instant expiresAt, Instant deleteAfter,
            Instant completingSince) {
    }

    /**
     * What storage assembled, once the upload is uploaded ({@link #NONE} before).
     *
     * @param objectChecksum the assembled object's checksum as storage reports it
     * @param partChecksums each part's SHA-256 (base64, in part order) for a SHA256 upload as completion recorded
     *     them, else empty; a record read back may not hold them (the store keeps them apart: read them with
     *     {@code UploadRecords.partChecksums})
     */
    public record Outcome(String etag, String objectChecksum, List<String> partChecksums, String pathUrl,
            Instant completedAt) {

        public static final Outcome NONE = new Outcome(null, null, List.of(), null, null);

        public Outcome {
            partChecksums = partChecksums == null ? List.of() : List.copyOf(partChecksums);
        }
    }

    /** A new upload: open until {@code expiresAt}, its record deletable a retention period after that. */
    public static Upload started(UUID fileId, String owner, FileFacts file, PartTarget target, Instant initiatedAt,
            Instant expiresAt, Instant deleteAfter, String requestHash) {
        return new Upload(fileId, owner, file, target,
                new Lifecycle(UploadStatus.UPLOADING, initiatedAt, expiresAt, deleteAfter, null), Outcome.NONE,
                requestHash, 1);
    }

    /** The record while storage assembles the file: no more parts, no abort, the quota still held. */
    public Upload completing(Instant since) {
        return new Upload(fileId, owner, file, target,
                new Lifecycle(UploadStatus.COMPLETING, lifecycle.initiatedAt(), lifecycle.expiresAt(),
                        lifecycle.deleteAfter(), since), outcome, requestHash, version + 1);
    }

    /**
     * The record back to {@code uploading} after an assembly that did not happen (storage was unavailable), still
     * saying when it was asked for: an abort then looks for a file in storage ({@link #assemblyAsked()}).
     */
    public Upload reopened() {
        return new Upload(fileId, owner, file, target,
                new Lifecycle(UploadStatus.UPLOADING, lifecycle.initiatedAt(), lifecycle.expiresAt(),
                        lifecycle.deleteAfter(), lifecycle.completingSince()), outcome, requestHash, version + 1);
    }

    /** The record after storage assembled the object: kept for good. */
    public Upload completed(String objectEtag, String checksum, List<String> checksumsOfParts, String objectPath,
            Instant at) {
        return new Upload(fileId, owner, file, target,
                new Lifecycle(UploadStatus.UPLOADED, lifecycle.initiatedAt(), null, null, null),
                new Outcome(objectEtag, checksum, checksumsOfParts, objectPath, at), requestHash, version + 1);
    }

    /** The record after the upload ended without a file ({@code aborted} or {@code failed}), deletable later. */
    public Upload ended(UploadStatus finalStatus, Instant deletableAfter) {
        return new Upload(fileId, owner, file, target,
                new Lifecycle(finalStatus, lifecycle.initiatedAt(), null, deletableAfter, null), outcome, requestHash,
                version + 1);
    }

    /**
     * The upload id recorded for a file sent by a browser POST form (Companion's small-file path): there is no
     * multipart upload, the object arrives whole under {@link #objectKey()}.
     */
    public static final String BROWSER_POST = "browser-post";

    /** A file sent whole by a browser POST form: its record's size is the form's bound until the file arrives. */
    public boolean isBrowserPost() {
        return BROWSER_POST.equals(uploadId());
    }

    /**
     * A multipart upload started without a size (a Companion-protocol client): 0 bytes until complete counts its
     * parts. Every other upload declares at least one byte at init.
     */
    public boolean sizePending() {
        return fileSize() == 0 && !isBrowserPost();
    }

    /** The record with the size storage holds and the plan its parts follow, once it is known (still open). */
    public Upload sized(long size, PartPlan plan) {
        return new Upload(fileId, owner,
                new FileFacts(file.filename(), file.fileType(), size, file.authorName(), file.createdAt(),
                        file.declaredChecksum(), file.metadata()),
                new PartTarget(target.uploadId(), target.objectKey(), plan, target.checksumAlgorithm()), lifecycle,
                outcome, requestHash, version + 1);
    }

    /** Whether the upload accepts parts, URLs, complete and abort. */
    public boolean isUploading() {
        return status() == UploadStatus.UPLOADING;
    }

    /** Whether the upload is unfinished: {@code uploading} or {@code completing}. */
    public boolean isOpen() {
        return status().isOpen();
    }

    /** An unfinished upload past its deadline: it can no longer be resumed. */
    public boolean isAbandoned(Instant now) {
        return isOpen() && expiresAt() != null && now.isAfter(expiresAt());
    }

    /**
     * Whether an instance may be assembling the upload right now: {@code completing}, and started no longer than
     * {@code completeTimeout} ago. Neither the sweeper nor a request may abort such an upload, past its deadline or
     * not: the assembly started before the deadline and its file wins.
     */
    public boolean assemblyMayBeRunning(Instant now, java.time.Duration completeTimeout) {
        return status() == UploadStatus.COMPLETING && completingSince() != null
                && !now.isAfter(completingSince().plus(completeTimeout));
    }

    /**
     * Whether a complete asked storage to assemble this open upload (it is {@code completing}, or was and got
     * reopened): only then can storage hold its assembled file.
     */
    public boolean assemblyAsked() {
        return completingSince() != null;
    }

    public boolean checksummed() {
        return checksumAlgorithm() == ChecksumAlgorithm.SHA256;
    }

    public String filename() {
        return file.filename();
    }

    public String fileType() {
        return file.fileType();
    }

    public long fileSize() {
        return file.size();
    }

    public String authorName() {
        return file.authorName();
    }

    public Instant createdAt() {
        return file.createdAt();
    }

    public String declaredChecksum() {
        return file.declaredChecksum();
    }

    public Map<String, String> metadata() {
        return file.metadata();
    }

    public String uploadId() {
        return target.uploadId();
    }

    public String objectKey() {
        return target.objectKey();
    }

    public PartPlan partPlan() {
        return target.plan();
    }

    public long partSize() {
        return target.plan().partSize();
    }

    public int partCount() {
        return target.plan().partCount();
    }

    public ChecksumAlgorithm checksumAlgorithm() {
        return target.checksumAlgorithm();
    }

    public UploadStatus status() {
        return lifecycle.status();
    }

    public Instant initiatedAt() {
        return lifecycle.initiatedAt();
    }

    public Instant expiresAt() {
        return lifecycle.expiresAt();
    }

    public Instant deleteAfter() {
        return lifecycle.deleteAfter();
    }

    public Instant completingSince() {
        return lifecycle.completingSince();
    }

    public String etag() {
        return outcome.etag();
    }

    public String objectChecksum() {
        return outcome.objectChecksum();
    }

    public List<String> partChecksums() {
        return outcome.partChecksums();
    }

    public String pathUrl() {
        return outcome.pathUrl();
    }

    public Instant completedAt() {
        return outcome.completedAt();
    }
}
