package dev.freight.upload.api;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;

/**
 * Body of {@code POST /api/companion/capabilities}: optionally the author the uploads through the URL are recorded
 * under (by default the token's {@code name} claim, else its subject).
 */
public record CompanionCapabilityRequest(String authorName) implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.safeText("author_name", authorName, Caller.MAX_NAME_LENGTH, false);
    }
}
