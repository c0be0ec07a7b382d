package dev.freight.upload.api;

import java.time.Instant;

/**
 * Answer of {@code POST /api/companion/capabilities}: the base URL an Uppy app sets as {@code companionEndpoint}
 * (Uppy 6) or {@code endpoint} (Uppy 5), and until when it works.
 */
public record CompanionCapability(String companionUrl, Instant expiresAt) {
}
