package dev.freight.upload.storage;

/** The object storage built from the parts: its ETag, its checksum (when storage has one) and where it lives. */
public record AssembledObject(String etag, String checksumSha256, String location) {
}
