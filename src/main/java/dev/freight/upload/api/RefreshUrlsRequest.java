package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;
import dev.freight.upload.model.S3Limits;

/**
 * Body of {@code POST /api/upload/refresh_urls}; without parts (only for uploads without a checksum algorithm), the
 * URLs cover the parts storage lacks. With the {@code upload_token} of the init or status answer, the service signs
 * without reading storage.
 */
public record RefreshUrlsRequest(UUID fileId, String uploadToken,
        @JsonDeserialize(using = PartListDeserializer.class) List<PartUrlRequest> parts)
        implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.required("file_id", fileId);
        fields.length("upload_token", uploadToken, 1, 2048);
        fields.list("parts", parts, 0, S3Limits.MAX_PARTS);
    }
}
