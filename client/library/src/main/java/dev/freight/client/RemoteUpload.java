package dev.freight.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.client.internal.Json;

/** An upload as the service reports it (status answers and list entries; list entries carry no parts). */
public final class RemoteUpload {

    /** A part storage holds. */
    public static final class Part {
        private final int partNumber;
        private final long size;
        private final String etag;
        private final String checksumSha256;

        Part(int partNumber, long size, String etag, String checksumSha256) {
            this.partNumber = partNumber;
            this.size = size;
            this.etag = etag;
            this.checksumSha256 = checksumSha256;
        }

        public int partNumber() {
            return partNumber;
        }

        public long size() {
            return size;
        }

        public String etag() {
            return etag;
        }

        /** Base64 SHA-256 storage keeps for the part, or null when storage reports none. */
        public String checksumSha256() {
            return checksumSha256;
        }
    }

    private final JsonNode json;
    private final List<Part> uploadedParts;

    private RemoteUpload(JsonNode json) {
        this.json = json;
        List<Part> parts = new ArrayList<>();
        for (JsonNode part : json.path("uploaded_parts")) {
            parts.add(new Part(part.path("part_number").asInt(), part.path("size").asLong(), Json.text(part, "etag"),
                    Json.text(part, "checksum_sha256")));
        }
        this.uploadedParts = Collections.unmodifiableList(parts);
    }

    /** Reads an answer of the service (a status answer or a list entry, docs/api.md). */
    public static RemoteUpload fromJson(String json) throws IOException {
        JsonNode node = Json.MAPPER.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IOException("Not an upload: " + json);
        }
        return new RemoteUpload(node);
    }

    public String fileId() {
        return Json.text(json, "file_id");
    }

    public String filename() {
        return Json.text(json, "filename");
    }

    public String fileType() {
        return Json.text(json, "file_type");
    }

    public long fileSize() {
        return json.path("file_size").asLong();
    }

    public String authorName() {
        return Json.text(json, "author_name");
    }

    public String createdAt() {
        return Json.text(json, "created_at");
    }

    /** {@code uploading}, {@code uploaded}, {@code failed} or {@code aborted}. */
    public String uploadStatus() {
        return Json.text(json, "upload_status");
    }

    public long partSize() {
        return json.path("part_size").asLong();
    }

    public int partCount() {
        return json.path("part_count").asInt();
    }

    public String checksumAlgorithm() {
        return Json.text(json, "checksum_algorithm");
    }

    public List<Part> uploadedParts() {
        return uploadedParts;
    }

    public long bytesUploaded() {
        return json.path("bytes_uploaded").asLong();
    }

    public String uploadToken() {
        return Json.text(json, "upload_token");
    }

    public String etag() {
        return Json.text(json, "etag");
    }

    public String objectChecksumSha256() {
        return Json.text(json, "object_checksum_sha256");
    }

    public String completedAt() {
        return Json.text(json, "completed_at");
    }

    public Map<String, String> metadata() {
        return Json.stringMap(json.get("metadata"));
    }

    /** The answer as the service sent it, as JSON text (every field, also those this class has no getter for). */
    public String json() {
        return json.toString();
    }
}
