package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import dev.freight.upload.service.StartedUpload;
import dev.freight.upload.service.UploadStatus;

/** Answer of {@code POST /api/upload/init}: the new upload and URLs for its first parts. */
public record InitResponse(UUID fileId, String uploadId, UploadStatus uploadStatus, long partSize, int partCount,
        String checksumAlgorithm, List<PartUrl> parts) {

    static InitResponse of(StartedUpload started) {
        return new InitResponse(started.upload().fileId(), started.upload().uploadId(), started.upload().status(),
                started.upload().partSize(), started.upload().partCount(),
                started.upload().checksumAlgorithm().wireName(), started.parts().stream().map(PartUrl::of).toList());
    }
}
