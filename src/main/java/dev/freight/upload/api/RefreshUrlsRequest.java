package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/upload/refresh_urls}; without parts, the URLs cover the parts storage lacks. */
public record RefreshUrlsRequest(
        @NotNull UUID fileId,
        @Size(max = 10_000) List<@NotNull @Valid PartUrlRequest> parts) {
}
