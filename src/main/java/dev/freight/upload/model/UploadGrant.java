package dev.freight.upload.model;

import java.time.Instant;
import java.util.UUID;

/**
 * What an {@code upload_token} grants: signing part URLs of one multipart upload for one caller until
 * {@code expiresAt} (never later than the upload's resumable deadline). Everything the signing path needs is here,
 * so it reads no storage.
 */
public record UploadGrant(String owner, UUID fileId, String uploadId, String objectKey, long fileSize,
        long partSize, int partCount, ChecksumAlgorithm checksumAlgorithm, Instant expiresAt) {

    /** The grant for an open upload, valid until it stops being resumable. */
    public static UploadGrant of(Upload upload) {
        return new UploadGrant(upload.owner(), upload.fileId(), upload.uploadId(), upload.objectKey(),
                upload.fileSize(), upload.partSize(), upload.partCount(), upload.checksumAlgorithm(),
                upload.expiresAt());
    }

    public PartPlan partPlan() {
        return new PartPlan(fileSize, partSize, partCount);
    }
}
