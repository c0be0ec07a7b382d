package dev.freight.upload.api;

/** A part storage holds; {@code checksum_sha256} is the SHA-256 storage keeps for it (SHA256 uploads). */
public record UploadedPart(int partNumber, long size, String etag, String checksumSha256) {
}
