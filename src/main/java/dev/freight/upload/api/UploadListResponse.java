package dev.freight.upload.api;

import java.util.List;

import dev.freight.upload.model.UploadPage;

/** Answer of {@code GET /api/upload}: newest first; pass {@code next_token} back for the next page. */
public record UploadListResponse(List<UploadSummary> uploads, String nextToken) {

    static UploadListResponse of(UploadPage page) {
        return new UploadListResponse(page.uploads().stream().map(UploadSummary::of).toList(), page.nextToken());
    }
}
