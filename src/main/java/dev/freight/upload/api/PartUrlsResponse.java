package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import dev.freight.upload.model.SignedPart;

/** Answer of {@code POST /api/upload/refresh_urls}. */
public record PartUrlsResponse(UUID fileId, List<PartUrl> parts) {

    static PartUrlsResponse of(UUID fileId, List<SignedPart> signed) {
        return new PartUrlsResponse(fileId, signed.stream().map(PartUrl::of).toList());
    }
}
