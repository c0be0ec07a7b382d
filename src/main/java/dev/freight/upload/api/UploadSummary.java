package dev.freight.upload.api;

import java.time.Instant;
import java.util.UUID;

import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;

/** One entry of an author's upload list (no storage call per entry: ask the status for progress). */
public record UploadSummary(UUID fileId, String filename, String fileType, long fileSize, String authorName,
        Instant createdAt, UploadStatus uploadStatus, long partSize, int partCount, String checksumSha256,
        Instant completedAt, Instant expiresAt) {

    static UploadSummary of(Upload upload) {
        return new UploadSummary(upload.fileId(), upload.filename(), upload.fileType(), upload.fileSize(),
                upload.authorName(), upload.createdAt(), upload.status(), upload.partSize(), upload.partCount(),
                upload.declaredChecksum(), upload.completedAt(), upload.expiresAt());
    }
}
