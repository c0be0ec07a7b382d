package dev.freight.upload.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** One part a client wants a URL for; with a checksum, storage will accept only bytes that match it. */
public record PartUrlRequest(
        @NotNull @Min(1) @Max(10_000) Integer partNumber,
        @Pattern(regexp = ApiPatterns.SHA256_BASE64, message = "must be a base64-encoded SHA-256 digest")
        String checksumSha256) {
}
