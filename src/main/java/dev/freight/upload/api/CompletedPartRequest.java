package dev.freight.upload.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.freight.upload.model.S3Limits;
import dev.freight.upload.service.ClaimedPart;

/**
 * A part the client sent, with the ETag storage answered. {@code checksum_sha256} (SHA256 uploads only) is used
 * where storage does not report the part's checksum itself, and must match where it does.
 */
public record CompletedPartRequest(
        @NotNull @Min(1) @Max(S3Limits.MAX_PARTS) Integer partNumber,
        @NotBlank @Size(max = 128) String etag,
        @Pattern(regexp = ApiPatterns.SHA256_BASE64, message = "must be a base64-encoded SHA-256 digest")
        String checksumSha256) {

    ClaimedPart toClaimedPart() {
        return new ClaimedPart(partNumber, etag, checksumSha256);
    }
}
