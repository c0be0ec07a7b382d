package dev.freight.upload.api;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/upload/init}: what the client knows about the file it is about to send. */
public record InitRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String filename,
        @NotBlank @Size(max = 255) @Pattern(regexp = ApiPatterns.MEDIA_TYPE, message = "must be a media type such as video/mp4")
        String fileType,
        @NotNull @Positive Long fileSize,
        @NotBlank @Size(max = 128) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String authorName,
        Instant createdAt,
        @Positive Long partSize,
        @Pattern(regexp = ApiPatterns.SHA256_BASE64, message = "must be a base64-encoded SHA-256 digest")
        String checksumSha256,
        @Size(max = 32) Map<@NotBlank @Size(max = 128) String, @NotNull @Size(max = 1024) String> metadata) {
}
