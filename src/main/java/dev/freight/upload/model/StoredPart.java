package dev.freight.upload.model;

/** A part as storage holds it. {@code checksumSha256} is null when the part was sent without one. */
public record StoredPart(int partNumber, long size, String etag, String checksumSha256) {
}
