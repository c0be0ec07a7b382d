package dev.freight.upload.model;

import java.time.Instant;
import java.util.Map;

/**
 * A signed browser POST form: where to send it, the fields to send before the file (in this order), and when its
 * policy expires.
 */
public record PostForm(String url, Map<String, String> fields, Instant expiresAt) {
}
