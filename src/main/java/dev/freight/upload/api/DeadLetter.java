package dev.freight.upload.api;

import java.time.Instant;
import java.util.UUID;

import dev.freight.upload.service.OutboxEntry;

/**
 * One dead-lettered delivery as the operators' listing shows it.
 *
 * @param delivery what {@code replay} takes to send it again
 * @param webhookId the event's {@code webhook-id} (the same when replayed)
 */
public record DeadLetter(String delivery, String webhookId, String type, UUID fileId, String endpoint, int attempts,
        String lastError, Instant createdAt, Instant deadLetteredAt) {

    static DeadLetter of(OutboxEntry entry) {
        return new DeadLetter(entry.key(), entry.eventId(), entry.type(), entry.fileId(), entry.endpoint(),
                entry.attempts(), entry.lastError(), entry.createdAt(), entry.dueAt());
    }
}
