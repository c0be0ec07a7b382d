package dev.freight.upload.model;

/**
 * The object storage built from the parts: its ETag, its checksum (when storage has one: S3's composite
 * "digest-partcount" for a SHA256 upload), its size when read back (null from a complete), and where it lives.
 */
public record AssembledObject(String etag, String checksumSha256, Long size, String location) {
}
