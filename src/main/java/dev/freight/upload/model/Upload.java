package dev.freight.upload.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every fact Freight keeps about one upload; the storage-agnostic form of a metadata record.
 *
 * @param owner who started the upload (the caller's subject), the only one allowed to see it
 * @param checksumAlgorithm how storage guards each part (chosen at init, fixed for the upload's life)
 * @param declaredChecksum the whole file's SHA-256 (base64) as the client declared it at init, if it did
 * @param objectChecksum the assembled object's checksum as storage reports it, once uploaded
 * @param partChecksums each part's SHA-256 (base64, in part order) once a SHA256 upload is uploaded, else empty
 * @param expiresAt when an unfinished upload counts as abandoned; null once it is final
 * @param deleteAfter when storage may delete the record (DynamoDB TTL): a grace period after an unfinished upload
 *     expires or ends without a file; null for uploaded files, which are kept
 * @param requestHash fingerprint of the init request when it carried an Idempotency-Key, else null
 * @param version optimistic-locking counter, incremented by every write
 */
public record Upload(
        UUID fileId,
        String owner,
        String filename,
        String fileType,
        long fileSize,
        String authorName,
        Instant createdAt,
        Instant initiatedAt,
        String uploadId,
        String objectKey,
        long partSize,
        int partCount,
        ChecksumAlgorithm checksumAlgorithm,
        String declaredChecksum,
        Map<String, String> metadata,
        UploadStatus status,
        String etag,
        String objectChecksum,
        List<String> partChecksums,
        String pathUrl,
        Instant completedAt,
        Instant expiresAt,
        Instant deleteAfter,
        String requestHash,
        long version) {

    public Upload {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        partChecksums = partChecksums == null ? List.of() : List.copyOf(partChecksums);
    }

    public PartPlan partPlan() {
        return new PartPlan(fileSize, partSize, partCount);
    }

    public boolean checksummed() {
        return checksumAlgorithm == ChecksumAlgorithm.SHA256;
    }

    public boolean isUploading() {
        return status == UploadStatus.UPLOADING;
    }

    /** The record after storage assembled the object: kept for good. */
    public Upload completed(String objectEtag, String checksum, List<String> checksumsOfParts, String objectPath,
            Instant at) {
        return new Upload(fileId, owner, filename, fileType, fileSize, authorName, createdAt, initiatedAt, uploadId,
                objectKey, partSize, partCount, checksumAlgorithm, declaredChecksum, metadata, UploadStatus.UPLOADED, objectEtag, checksum,
                checksumsOfParts, objectPath, at, null, null, requestHash, version + 1);
    }

    /** The record after the upload ended without a file ({@code aborted} or {@code failed}), deletable later. */
    public Upload ended(UploadStatus finalStatus, Instant deletableAfter) {
        return new Upload(fileId, owner, filename, fileType, fileSize, authorName, createdAt, initiatedAt, uploadId,
                objectKey, partSize, partCount, checksumAlgorithm, declaredChecksum, metadata, finalStatus, etag, objectChecksum, partChecksums, pathUrl,
                completedAt, null, deletableAfter, requestHash, version + 1);
    }

    /** An unfinished upload past its deadline: it can no longer be resumed. */
    public boolean isAbandoned(Instant now) {
        return isUploading() && expiresAt != null && now.isAfter(expiresAt);
    }
}
