package dev.freight.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.Upload;

/**
 * Builds the events of upload state changes: the body {@code {type, timestamp, data}} the Standard Webhooks
 * specification describes ("Payload structure"), with the upload's facts in {@code data} (docs/webhooks.md).
 */
@ApplicationScoped
public class UploadEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final String bucket;

    public UploadEvents(Clock clock, FreightConfig config) {
        this.clock = clock;
        this.bucket = config.storage().bucket();
    }

    /** {@code upload.created}: the record of a new upload was written. */
    public UploadEvent created(Upload upload) {
        return event(EventType.CREATED, upload, facts(upload));
    }

    /** {@code upload.completed}: storage assembled the file and it was recorded. */
    public UploadEvent completed(Upload upload) {
        Map<String, Object> data = facts(upload);
        data.put("etag", upload.etag());
        data.put("checksum_sha256", upload.objectChecksum());
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("bucket", bucket);
        object.put("key", upload.objectKey());
        object.put("url", upload.pathUrl());
        data.put("object", object);
        data.put("completed_at", text(upload.completedAt()));
        return event(EventType.COMPLETED, upload, data);
    }

    /** {@code upload.failed}, with why. */
    public UploadEvent failed(Upload upload, FailureReason reason) {
        Map<String, Object> data = facts(upload);
        data.put("reason", reason.wireName());
        return event(EventType.FAILED, upload, data);
    }

    /** {@code upload.aborted}: its client aborted it. */
    public UploadEvent aborted(Upload upload) {
        return event(EventType.ABORTED, upload, facts(upload));
    }

    private UploadEvent event(EventType type, Upload upload, Map<String, Object> data) {
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("timestamp", now.toString());
        body.put("data", data);
        try {
            return new UploadEvent(messageId(), type, upload.fileId(), upload.version(), now,
                    JSON.writeValueAsString(body));
        } catch (JsonProcessingException notJson) {
            throw new IllegalStateException("An event body is plain strings and numbers", notJson);
        }
    }

    /** What every event says about the upload (state and file facts as the record holds them). */
    private static Map<String, Object> facts(Upload upload) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("file_id", upload.fileId().toString());
        data.put("owner", upload.owner());
        data.put("status", upload.status().wireName());
        data.put("filename", upload.filename());
        data.put("file_type", upload.fileType());
        data.put("file_size", upload.fileSize());
        data.put("author_name", upload.authorName());
        data.put("checksum_algorithm", upload.checksumAlgorithm() == null ? null : upload.checksumAlgorithm().wireName());
        data.put("metadata", upload.metadata());
        data.put("initiated_at", text(upload.initiatedAt()));
        return data;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** A fresh id: no full stop (the signature scheme's rule), unique per event. */
    static String messageId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
}
