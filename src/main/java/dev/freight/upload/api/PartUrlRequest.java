package dev.freight.upload.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.freight.upload.model.S3Limits;

/**
 * One part a client wants a URL for. For a SHA256 upload it carries the part's digest and storage accepts only
 * bytes that match it; for an upload without an algorithm it carries none.
 */
public record PartUrlRequest(
        @NotNull @Min(1) @Max(S3Limits.MAX_PARTS) Integer partNumber,
        @Pattern(regexp = ApiPatterns.SHA256_BASE64, message = "must be a base64-encoded SHA-256 digest")
        String checksumSha256) {
}
