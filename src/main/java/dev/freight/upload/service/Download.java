package dev.freight.upload.service;

import java.util.List;

import dev.freight.upload.storage.SignedUrl;

/** An uploaded file with a presigned GET for it, and one per part when they were asked for (else null). */
public record Download(Upload upload, SignedUrl url, List<Part> parts) {

    /** A presigned GET of one part's byte range, with the SHA-256 that part must have. */
    public record Part(int partNumber, long offset, long size, String checksumSha256, SignedUrl url) {
    }
}
