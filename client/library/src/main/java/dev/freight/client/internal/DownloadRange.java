package dev.freight.client.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** One range of a file to download, what it must hash to, and its presigned GET (renewed when it expires). */
final class DownloadRange {

    final int partNumber;
    final long offset;
    final long length;
    final String checksum;
    String url;
    Map<String, String> headers;
    Instant expiresAt;

    DownloadRange(int partNumber, long offset, long length, String checksum, String url, Map<String, String> headers,
            Instant expiresAt) {
        this.partNumber = partNumber;
        this.offset = offset;
        this.length = length;
        this.checksum = checksum;
        this.url = url;
        this.headers = headers;
        this.expiresAt = expiresAt;
    }

    /** The answer's parts, or the whole object as one range when it lists none (a plain upload). */
    static List<DownloadRange> listed(JsonNode info, long fileSize) {
        List<DownloadRange> ranges = new ArrayList<>();
        long next = 0;
        int index = 0;
        for (JsonNode part : info.path("parts")) {
            index++;
            long offset = -1;
            long length = -1;
            String rangeText = Json.text(part, "range");
            if (rangeText == null) {
                rangeText = Json.stringMap(part.get("headers")).get("Range");
            }
            if (rangeText != null && rangeText.startsWith("bytes=")) {
                String[] bounds = rangeText.substring(6).split("-");
                offset = Long.parseLong(bounds[0].trim());
                length = Long.parseLong(bounds[1].trim()) - offset + 1;
            }
            for (String field : new String[] {"offset", "start", "first_byte", "range_start"}) {
                if (offset < 0 && part.has(field)) {
                    offset = part.get(field).asLong();
                }
            }
            for (String field : new String[] {"size", "length", "content_length"}) {
                if (length < 0 && part.has(field)) {
                    length = part.get(field).asLong();
                }
            }
            if (length < 0 && part.has("last_byte")) {
                length = part.get("last_byte").asLong() - offset + 1;
            }
            if (length < 0 && part.has("range_end")) {
                length = part.get("range_end").asLong() - offset + 1;
            }
            if (offset < 0) {
                offset = next;
            }
            long partSize = info.path("part_size").asLong(-1);
            if (length < 0 && partSize > 0) {
                length = Math.min(partSize, fileSize - offset);
            }
            String checksum = Json.text(part, "checksum_sha256");
            if (checksum == null) {
                checksum = Json.text(part, "sha256");
            }
            String expires = Json.text(part, "expires_at");
            ranges.add(new DownloadRange(part.path("part_number").asInt(index), offset, length, checksum,
                    Json.text(part, "url"), Json.stringMap(part.get("headers")),
                    expires == null ? null : Instant.parse(expires)));
            next = offset + length;
        }
        for (int i = 0; i < ranges.size(); i++) {
            DownloadRange range = ranges.get(i);
            if (range.length < 0) {
                long end = i + 1 < ranges.size() && ranges.get(i + 1).offset > range.offset ? ranges.get(i + 1).offset
                        : fileSize;
                ranges.set(i, new DownloadRange(range.partNumber, range.offset, end - range.offset, range.checksum, range.url,
                        range.headers, range.expiresAt));
            }
        }
        if (ranges.isEmpty()) {
            String expires = Json.text(info, "expires_at");
            ranges.add(new DownloadRange(1, 0, fileSize, null, Json.text(info, "url"), Collections.<String, String>emptyMap(),
                    expires == null ? null : Instant.parse(expires)));
        }
        return ranges;
    }
}
