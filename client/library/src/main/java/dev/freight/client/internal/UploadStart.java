package dev.freight.client.internal;

import java.io.IOException;
import java.net.URLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.client.UploadState;

/**
 * Starts a new upload: plans it, hashes the first parts (their digests go with init, so their URLs come back with
 * it), asks the service for the upload and writes the resume state before any byte is sent.
 */
final class UploadStart {

    private final UploadSession session;

    UploadStart(UploadSession session) {
        this.session = session;
    }

    /** Inits the upload; the session then holds its state, and the URLs that came with init. */
    void init(long size) throws IOException {
        String fingerprint = Digests.fingerprint(session.source);
        long lastModified = session.source.lastModified();
        UploadPlan plan = UploadPlan.forFile(size, session.options.partSize());
        Map<Integer, String> first = new TreeMap<>();
        for (int part : plan.firstParts(session.options.parallelism())) {
            RetryLoop.checkCancelled(session.stop, null);
            first.put(part, Digests.ofRange(session.source, plan.offset(part), plan.length(part)));
        }
        JsonNode answer = session.client.api.init(body(size, plan, first, fingerprint, lastModified),
                UUID.randomUUID().toString(), session.stop);
        String fileId = Json.text(answer, "file_id");
        long servedPartSize = answer.path("part_size").asLong(plan.partSize());
        int servedPartCount = answer.path("part_count").asInt(plan.partCount());
        UploadState state = new UploadState(fileId, session.client.api.server(), session.source.key(),
                session.source.name(), size, lastModified, fingerprint, servedPartSize, servedPartCount,
                Instant.now().toString(), Json.text(answer, "upload_token"));
        // The service keeps the part size asked for (one rule on both sides); should it not, the digests are useless.
        if (servedPartSize == plan.partSize()) {
            first.forEach(state::digest);
            for (PartUrl url : ServiceApi.partUrls(answer)) {
                session.prefetched.put(url.partNumber, url);
            }
        }
        session.state(state);
        session.save();
    }

    private ObjectNode body(long size, UploadPlan plan, Map<Integer, String> first, String fingerprint,
            long lastModified) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("filename", session.source.name());
        body.put("file_type", fileType());
        body.put("file_size", size);
        if (session.options.authorName() != null) {
            body.put("author_name", session.options.authorName());
        }
        if (lastModified > 0) {
            body.put("created_at", Instant.ofEpochMilli(lastModified).truncatedTo(ChronoUnit.SECONDS).toString());
        }
        body.put("part_size", plan.partSize());
        body.put("checksum_algorithm", "SHA256");
        ArrayNode parts = body.putArray("parts");
        first.forEach((number, digest) -> parts.addObject().put("part_number", number).put("checksum_sha256", digest));
        ObjectNode metadata = body.putObject("metadata");
        session.options.metadata().forEach(metadata::put);
        // The same keys the browser app stores, so either client can resume the other's uploads.
        metadata.put("fingerprint", fingerprint);
        if (lastModified > 0) {
            metadata.put("last_modified", Long.toString(lastModified));
        }
        return body;
    }

    private String fileType() {
        if (session.options.fileType() != null) {
            return session.options.fileType();
        }
        if (session.source.contentType() != null) {
            return session.source.contentType();
        }
        String guessed = URLConnection.guessContentTypeFromName(session.source.name());
        return guessed == null ? "application/octet-stream" : guessed;
    }
}
