package dev.freight.client.internal;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A presigned URL for one part (PUT) or one range (GET), with the headers to send and its expiry. */
public final class PartUrl {

    public final int partNumber;
    public final String url;
    public final Instant expiresAt;
    public final Map<String, String> headers;
    public final long size;
    /** A safety margin before expiry: a tenth of the URL's lifetime as received, at most a minute. */
    public final long marginMillis;

    PartUrl(int partNumber, String url, Instant expiresAt, Map<String, String> headers, long size) {
        this.partNumber = partNumber;
        this.url = url;
        this.expiresAt = expiresAt;
        this.headers = headers;
        this.size = size;
        long lifetime = expiresAt == null ? 0 : expiresAt.toEpochMilli() - System.currentTimeMillis();
        this.marginMillis = Math.max(0, Math.min(60_000, lifetime / 10));
    }

    public static PartUrl of(JsonNode node) {
        String expires = Json.text(node, "expires_at");
        return new PartUrl(node.path("part_number").asInt(), Json.text(node, "url"),
                expires == null ? null : Instant.parse(expires), Json.stringMap(node.get("headers")),
                node.path("size").asLong(-1));
    }

    /** True when the URL has expired or is about to: sign again instead of sending. */
    public boolean expiring() {
        return expiresAt != null && System.currentTimeMillis() + marginMillis >= expiresAt.toEpochMilli();
    }
}
