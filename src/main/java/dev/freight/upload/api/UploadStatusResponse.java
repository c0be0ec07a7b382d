package dev.freight.upload.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadProgress;
import dev.freight.upload.model.UploadStatus;

/**
 * Answer of {@code GET /api/upload/{file_id}} and of complete: the upload, its progress, and what a client needs to
 * resume it. {@code checksum_sha256} is the whole-file digest declared at init; {@code object_checksum_sha256}
 * is the checksum storage computed for the assembled object (composite, "digest-partcount").
 */
public record UploadStatusResponse(
        UUID fileId, String filename, String fileType, long fileSize, String authorName, Instant createdAt,
        UploadStatus uploadStatus, String uploadId, long partSize, int partCount, String checksumAlgorithm,
        List<UploadedPart> uploadedParts, long bytesUploaded,
        String etag, String checksumSha256, String objectChecksumSha256, Instant completedAt, Instant expiresAt,
        Map<String, String> metadata, String uploadToken) {

    /** {@code uploadToken}: the capability for storage-free refresh_urls while the upload is open, else null. */
    static UploadStatusResponse of(UploadProgress progress, String uploadToken) {
        Upload upload = progress.upload();
        List<UploadedPart> parts = progress.storedParts().stream()
                .map(part -> new UploadedPart(part.partNumber(), part.size(), part.etag(), part.checksumSha256())).toList();
        return new UploadStatusResponse(upload.fileId(), upload.filename(), upload.fileType(), upload.fileSize(),
                upload.authorName(), upload.createdAt(), upload.status(), upload.uploadId(), upload.partSize(),
                upload.partCount(), upload.checksumAlgorithm().wireName(), parts, progress.bytesUploaded(), upload.etag(), upload.declaredChecksum(),
                upload.objectChecksum(), upload.completedAt(), upload.expiresAt(), upload.metadata(),
                upload.isUploading() ? uploadToken : null);
    }
}
