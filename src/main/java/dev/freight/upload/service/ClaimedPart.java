package dev.freight.upload.service;

/** A part the client says it sent, with the ETag storage answered it and (SHA256 uploads) its SHA-256. */
public record ClaimedPart(int partNumber, String etag, String checksumSha256) {
}
