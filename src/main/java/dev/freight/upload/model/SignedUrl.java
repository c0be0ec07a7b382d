package dev.freight.upload.model;

import java.time.Instant;
import java.util.Map;

/** A presigned URL with its expiry and the headers the client must send with it. */
public record SignedUrl(String url, Instant expiresAt, Map<String, String> headers) {
}
