package dev.freight.client;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A presigned URL for one part (PUT) or one range (GET), with the headers to send and its expiry. */
final class PartUrl {

    final int partNumber;
    final String url;
    final Instant expiresAt;
    final Map<String, String> headers;
    final long size;

    PartUrl(int partNumber, String url, Instant expiresAt, Map<String, String> headers, long size) {
        this.partNumber = partNumber;
        this.url = url;
        this.expiresAt = expiresAt;
        this.headers = headers;
        this.size = size;
    }

    static PartUrl of(JsonNode node) {
        String expires = Json.text(node, "expires_at");
        return new PartUrl(node.path("part_number").asInt(), Json.text(node, "url"),
                expires == null ? null : Instant.parse(expires), Json.stringMap(node.get("headers")),
                node.path("size").asLong(-1));
    }

    /** True when the URL expires within {@code marginSeconds}: sign again instead of sending. */
    boolean expiresWithin(long marginSeconds) {
        return expiresAt != null && Instant.now().plusSeconds(marginSeconds).isAfter(expiresAt);
    }
}
