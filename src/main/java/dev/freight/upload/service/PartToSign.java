package dev.freight.upload.service;

/** A part a client wants a URL for, with its SHA-256 (base64) for a SHA256 upload, else without. */
public record PartToSign(int partNumber, String checksumSha256) {
}
