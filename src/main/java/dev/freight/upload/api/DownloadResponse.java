package dev.freight.upload.api;

import java.time.Instant;
import java.util.UUID;

import dev.freight.upload.service.Download;

/** Answer of {@code GET /api/download/{file_id}}: a presigned GET of the file and the facts to check it by. */
public record DownloadResponse(UUID fileId, String url, Instant expiresAt, String filename, String fileType,
        long fileSize, String etag, String checksumSha256, String objectChecksumSha256) {

    static DownloadResponse of(Download download) {
        var upload = download.upload();
        return new DownloadResponse(upload.fileId(), download.url().url(), download.url().expiresAt(),
                upload.filename(), upload.fileType(), upload.fileSize(), upload.etag(), upload.declaredChecksum(),
                upload.objectChecksum());
    }
}
