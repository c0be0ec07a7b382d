package dev.freight.upload.model;

import java.util.List;


/**
 * An uploaded file with a presigned GET for it, and one per part when they were asked for (else null): a page of
 * them, {@code nextPart} the first part of the next page (null on the last page, and without parts).
 */
public record Download(Upload upload, SignedUrl url, List<Part> parts, Integer nextPart) {

    /** A presigned GET of one part's byte range, with the SHA-256 that part must have. */
    public record Part(int partNumber, long offset, long size, String checksumSha256, SignedUrl url) {
    }
}
