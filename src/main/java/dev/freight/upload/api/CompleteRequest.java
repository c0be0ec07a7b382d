package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.freight.upload.model.S3Limits;

/** Body of {@code POST /api/upload/complete}: every part of the file with its ETag. */
public record CompleteRequest(
        @NotNull UUID fileId,
        @NotNull @Size(min = 1, max = S3Limits.MAX_PARTS) List<@NotNull @Valid CompletedPartRequest> parts) {
}
