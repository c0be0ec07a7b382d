package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.freight.upload.model.S3Limits;

/**
 * Body of {@code POST /api/upload/refresh_urls}; without parts (only for uploads without a checksum algorithm), the
 * URLs cover the parts storage lacks. With the {@code upload_token} of the init or status answer, the service signs
 * without reading storage.
 */
public record RefreshUrlsRequest(
        @NotNull UUID fileId,
        @Size(min = 1, max = 2048) String uploadToken,
        @Size(max = S3Limits.MAX_PARTS) List<@NotNull @Valid PartUrlRequest> parts) {
}
