package dev.freight.client.internal;

import java.io.File;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.client.UploadState;

/** The resume state's JSON form (version 1), kept out of {@link UploadState} so no Jackson type is public. */
public final class UploadStateJson {

    private UploadStateJson() {
    }

    /** The state as pretty-printed JSON bytes. */
    public static byte[] write(UploadState state) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("version", 1);
        node.put("file_id", state.fileId());
        node.put("server", state.server());
        node.put("source_key", state.sourceKey());
        node.put("filename", state.filename());
        node.put("size", state.size());
        node.put("last_modified", state.lastModified());
        node.put("fingerprint", state.fingerprint());
        node.put("part_size", state.partSize());
        node.put("part_count", state.partCount());
        node.put("started_at", state.startedAt());
        node.put("upload_token", state.uploadToken());
        ObjectNode digests = node.putObject("digests");
        ObjectNode etags = node.putObject("etags");
        for (int part = 1; part <= state.partCount(); part++) {
            String digest = state.digest(part);
            String etag = state.etag(part);
            if (digest != null) {
                digests.put(Integer.toString(part), digest);
            }
            if (etag != null) {
                etags.put(Integer.toString(part), etag);
            }
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    /** The state in {@code file}, or null when it holds none. */
    public static UploadState read(File file) throws IOException {
        JsonNode node = Json.MAPPER.readTree(file);
        if (node == null || !node.hasNonNull("file_id")) {
            return null;
        }
        UploadState state = new UploadState(Json.text(node, "file_id"), Json.text(node, "server"),
                Json.text(node, "source_key"), Json.text(node, "filename"), node.path("size").asLong(),
                node.path("last_modified").asLong(-1), Json.text(node, "fingerprint"), node.path("part_size").asLong(),
                node.path("part_count").asInt(), Json.text(node, "started_at"), Json.text(node, "upload_token"));
        node.path("digests").fields().forEachRemaining(e -> state.digest(Integer.parseInt(e.getKey()), e.getValue().asText()));
        node.path("etags").fields().forEachRemaining(e -> state.etag(Integer.parseInt(e.getKey()), e.getValue().asText()));
        return state;
    }
}
