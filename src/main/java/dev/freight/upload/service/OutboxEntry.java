package dev.freight.upload.service;

import java.time.Instant;
import java.util.UUID;

/**
 * One event waiting for (or given up by) one endpoint: what the outbox holds per delivery.
 *
 * @param key the delivery's own key in the store (what an operator replays)
 * @param eventId the {@code webhook-id}, the same on every attempt
 * @param type the event type's wire name
 * @param sequence the upload record's version the event was written with (orders one upload's events)
 * @param attempts attempts made so far
 * @param createdAt when the state change was written
 * @param dueAt when it is next tried (for a dead letter: when it was given up)
 * @param dead whether it ran out of attempts (dead-lettered)
 * @param lastError what the last attempt got (a status or an error), or null
 */
public record OutboxEntry(String key, String eventId, String type, UUID fileId, long sequence, String endpoint,
        String body, int attempts, Instant createdAt, Instant dueAt, boolean dead, String lastError) {

    /** The same delivery with another due time (what a claim makes of it). */
    public OutboxEntry dueAt(Instant at) {
        return new OutboxEntry(key, eventId, type, fileId, sequence, endpoint, body, attempts, createdAt, at, dead,
                lastError);
    }
}
