package dev.freight.upload.service;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.webhook.FailureReason;
import dev.freight.webhook.UploadEvent;
import dev.freight.webhook.UploadEvents;
import dev.freight.webhook.WebhookMetrics;

/**
 * Writes the record changes that webhooks report (created, completed, failed, aborted) together with their event:
 * the event's deliveries go into the same transaction as the record ({@link UploadRecords}), and once it committed,
 * to {@link EventDelivery} for an attempt at once. A write that loses its condition writes no event.
 */
@ApplicationScoped
public class StateChanges {

    private final UploadRecords records;
    private final UploadEvents events;
    private final EventOutbox outbox;
    private final EventDelivery delivery;
    private final WebhookMetrics metrics;
    private final Clock clock;

    @Inject
    StateChanges(UploadRecords records, UploadEvents events, EventOutbox outbox, EventDelivery delivery,
            WebhookMetrics metrics, Clock clock) {
        this.records = records;
        this.events = events;
        this.outbox = outbox;
        this.delivery = delivery;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records only, as with no webhook endpoint configured (the service's unit tests). */
    static StateChanges withoutEvents(UploadRecords records) {
        return new StateChanges(records, null, null, null, null, null);
    }

    /** A new upload's record and its {@code upload.created}. */
    void created(Upload upload) {
        write(() -> events.created(upload), deliveries -> records.create(upload, deliveries));
    }

    /** The record of an assembled file and its {@code upload.completed}. */
    void completed(Upload next) {
        write(() -> events.completed(next), deliveries -> records.update(next, deliveries));
    }

    /** The record of an upload that ended without a file, and its {@code upload.failed} or {@code upload.aborted}. */
    void ended(Upload next, FailureReason reason) {
        write(() -> next.status() == UploadStatus.ABORTED ? events.aborted(next) : events.failed(next, reason),
                deliveries -> records.update(next, deliveries));
    }

    private void write(java.util.function.Supplier<UploadEvent> event, Consumer<List<OutboxEntry>> write) {
        if (outbox == null) {
            write.accept(List.of());
            return;
        }
        UploadEvent happened = event.get();
        List<OutboxEntry> deliveries = outbox.entries(happened, clock.instant().plus(delivery.claim()));
        write.accept(deliveries);
        if (!deliveries.isEmpty()) {
            metrics.written(happened.type(), deliveries.size());
            delivery.soon(deliveries);
        }
    }
}
