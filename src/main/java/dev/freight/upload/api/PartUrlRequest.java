package dev.freight.upload.api;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.freight.upload.model.S3Limits;
import dev.freight.upload.service.PartToSign;

/**
 * One part a client wants a URL for. For a SHA256 upload it carries the part's digest and storage accepts only
 * bytes that match it; for an upload without an algorithm it carries none.
 */
public record PartUrlRequest(
        @NotNull @Min(1) @Max(S3Limits.MAX_PARTS) Integer partNumber,
        @Pattern(regexp = ApiPatterns.SHA256_BASE64, message = "must be a base64-encoded SHA-256 digest")
        String checksumSha256) {

    PartToSign toPartToSign() {
        return new PartToSign(partNumber, checksumSha256);
    }

    /** The service's form of a validated part list (null stays null). */
    static List<PartToSign> toPartsToSign(List<PartUrlRequest> parts) {
        return parts == null ? null : parts.stream().map(PartUrlRequest::toPartToSign).toList();
    }
}
