package dev.freight.upload.api;

/** A part storage holds. */
public record UploadedPart(int partNumber, long size, String etag) {
}
