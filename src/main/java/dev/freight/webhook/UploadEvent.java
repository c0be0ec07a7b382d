package dev.freight.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * One event about one upload, as it is written beside the state change it reports and sent, byte for byte, on every
 * attempt.
 *
 * @param id the {@code webhook-id}: {@code msg_} and 32 hex digits, the same on every retry
 * @param sequence the upload record's version the event was written with: orders one upload's events
 * @param body the JSON body {@code {type, timestamp, data}}
 */
public record UploadEvent(String id, EventType type, UUID fileId, long sequence, Instant occurredAt, String body) {
}
