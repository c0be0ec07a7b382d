package dev.freight.upload.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.freight.config.Rfc3339InstantDeserializer;
import dev.freight.upload.api.validation.SafeText;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.service.NewUpload;

/**
 * Body of {@code POST /api/upload/init}: what the client knows about the file it is about to send.
 * {@code author_name} defaults to the caller's name from its token. With {@code checksum_algorithm} SHA256,
 * {@code parts} lists the first parts with their digests so that their URLs come with the answer.
 */
public record InitRequest(
        @NotBlank @SafeText(maxLength = 255, fileName = true)
        String filename,
        @NotBlank @Size(max = 255) @Pattern(regexp = ApiPatterns.MEDIA_TYPE, message = "must be a media type such as video/mp4")
        String fileType,
        @NotNull @Positive Long fileSize,
        @Pattern(regexp = ".*\\S.*", message = "must not be blank") @SafeText(maxLength = 128)
        String authorName,
        @JsonDeserialize(using = Rfc3339InstantDeserializer.class) Instant createdAt,
        @Positive Long partSize,
        @Pattern(regexp = "SHA256", message = "must be SHA256, or absent for an upload without part checksums")
        String checksumAlgorithm,
        @Pattern(regexp = ApiPatterns.SHA256_BASE64, message = "must be a base64-encoded SHA-256 digest")
        String checksumSha256,
        @Size(max = S3Limits.MAX_PARTS) List<@NotNull @Valid PartUrlRequest> parts,
        @Size(max = 32) Map<@NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
                message = "keys must be 1-128 letters, digits, '.', '_' or '-'") String,
                @NotNull @SafeText(maxLength = 1024) String> metadata) {

    /** The service's command for this (validated) request. */
    NewUpload toNewUpload() {
        return new NewUpload(filename, fileType, fileSize, authorName, createdAt, partSize,
                ChecksumAlgorithm.fromWireName(checksumAlgorithm), checksumSha256, metadata,
                PartUrlRequest.toPartsToSign(parts));
    }
}
