package dev.freight.upload.api;

import java.util.List;

/** Answer of {@code GET /api/admin/webhooks/dead-letters}: most recent first. */
public record DeadLetterList(List<DeadLetter> deadLetters) {
}
