package dev.freight.upload.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.freight.upload.model.Download;

/**
 * Answer of {@code GET /api/download/{file_id}}: a presigned GET of the file and the facts to check it by; with
 * {@code ?parts=true} also one ranged GET per part ({@code parts}, null otherwise), a page at a time: {@code next_part}
 * is the {@code first_part} to ask for next (null on the last page).
 */
public record DownloadResponse(UUID fileId, String url, Instant expiresAt, String filename, String fileType,
        long fileSize, String etag, String checksumSha256, String objectChecksumSha256,
        List<DownloadPart> parts, Integer nextPart) {

    /** One part: GET {@code url} with exactly {@code headers} (its Range) and check the bytes' SHA-256. */
    public record DownloadPart(int partNumber, long offset, long size, String checksumSha256, String url,
            Instant expiresAt, Map<String, String> headers) {
    }

    static DownloadResponse of(Download download) {
        var upload = download.upload();
        List<DownloadPart> parts = download.parts() == null ? null : download.parts().stream()
                .map(part -> new DownloadPart(part.partNumber(), part.offset(), part.size(), part.checksumSha256(),
                        part.url().url(), part.url().expiresAt(), part.url().headers()))
                .toList();
        return new DownloadResponse(upload.fileId(), download.url().url(), download.url().expiresAt(),
                upload.filename(), upload.fileType(), upload.fileSize(), upload.etag(), upload.declaredChecksum(),
                upload.objectChecksum(), parts, download.nextPart());
    }
}
