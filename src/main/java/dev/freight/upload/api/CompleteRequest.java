package dev.freight.upload.api;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;
import dev.freight.upload.model.S3Limits;

/** Body of {@code POST /api/upload/complete}: every part of the file with its ETag. */
public record CompleteRequest(UUID fileId,
        @JsonDeserialize(using = PartListDeserializer.class) List<CompletedPartRequest> parts)
        implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.required("file_id", fileId);
        fields.required("parts", parts);
        fields.list("parts", parts, 1, S3Limits.MAX_PARTS);
    }
}
