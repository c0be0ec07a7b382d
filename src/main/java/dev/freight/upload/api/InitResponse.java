package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import dev.freight.upload.model.StartedUpload;
import dev.freight.upload.model.UploadStatus;

/** Answer of {@code POST /api/upload/init}: the new upload, its {@code upload_token} and URLs for its first parts. */
public record InitResponse(UUID fileId, String uploadId, UploadStatus uploadStatus, long partSize, int partCount,
        String checksumAlgorithm, String uploadToken, List<PartUrl> parts) {

    /** {@code uploadToken}: the upload's capability for storage-free refresh_urls, null once it ended. */
    static InitResponse of(StartedUpload started, String uploadToken) {
        return new InitResponse(started.upload().fileId(), started.upload().uploadId(), started.upload().status(),
                started.upload().partSize(), started.upload().partCount(),
                started.upload().checksumAlgorithm().wireName(), uploadToken, started.parts().stream().map(PartUrl::of).toList());
    }
}
