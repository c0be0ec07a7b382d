package dev.freight.upload.api;

import java.util.UUID;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;

/** Body of {@code POST /api/upload/abort}. */
public record AbortRequest(UUID fileId) implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.required("file_id", fileId);
    }
}
