package dev.freight.upload.api;

import java.util.List;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;

/** Body of {@code POST /api/admin/webhooks/dead-letters/replay}: the deliveries to replay, or {@code all}. */
public record ReplayRequest(List<String> deliveries, Boolean all) implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        boolean everything = Boolean.TRUE.equals(all);
        if (everything == (deliveries != null)) {
            fields.required("deliveries", null);
            return;
        }
        if (deliveries != null) {
            fields.size("deliveries", deliveries, 1, dev.freight.upload.service.DeadLetters.MAX_BATCH);
        }
    }
}
