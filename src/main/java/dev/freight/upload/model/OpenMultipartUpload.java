package dev.freight.upload.model;

import java.time.Instant;

/** A multipart upload storage still holds parts for. */
public record OpenMultipartUpload(String objectKey, String uploadId, Instant initiated) {
}
