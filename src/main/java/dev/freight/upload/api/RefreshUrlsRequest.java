package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.freight.upload.service.PartPlan;

/**
 * Body of {@code POST /api/upload/refresh_urls}; without parts (only for uploads without a checksum algorithm), the
 * URLs cover the parts storage lacks.
 */
public record RefreshUrlsRequest(
        @NotNull UUID fileId,
        @Size(max = PartPlan.S3_MAX_PARTS) List<@NotNull @Valid PartUrlRequest> parts) {
}
