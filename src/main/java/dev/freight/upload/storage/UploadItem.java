package dev.freight.upload.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps an {@link Upload} to and from its DynamoDB item (attribute names are the table's schema). */
final class UploadItem {

    static final String FILE_ID = "file_id";
    static final String OWNER = "owner";
    static final String AUTHOR_NAME = "author_name";
    static final String INITIATED_AT = "initiated_at";
    /** Initiation time in a fixed-width form (nanoseconds always written), the owner index's sort key. */
    static final String INITIATED_SORT = "initiated_sort";
    static final String UPLOAD_STATUS = "upload_status";
    static final String VERSION = "version";
    /**
     * The parts' SHA-256 digests of an uploaded SHA256 upload, 32 bytes each in part order: binary, because 10,000
     * base64 digests would not fit in DynamoDB's 400 KB item. Kept in an item of their own ({@link #digestsKey}):
     * with the largest metadata beside them, 10,000 digests made a record over the limit (~422 KB). Records written
     * before that hold them in the upload's item itself, and are still read so.
     */
    static final String PART_SHA256S = "part_sha256s";
    /** Part-digest items share the table; their key cannot be a file id (those are UUIDs). */
    static final String DIGESTS_KEY_PREFIX = "parts#";
    /** Absent for uploads created without a checksum algorithm. */
    static final String CHECKSUM_ALGORITHM = "checksum_algorithm";
    /** Epoch seconds; DynamoDB's TTL removes the item some time after it passes. */
    static final String EXPIRES_AT = "expires_at";
    /** Until when an unfinished upload may be resumed (RFC 3339). */
    static final String RESUMABLE_UNTIL = "resumable_until";
    static final String COMPLETING_SINCE = "completing_since";

    /**
     * The deadline index's partition: a small fixed shard number (spreading writes over {@value #DEADLINE_SHARDS}
     * index partitions), present only while the upload is unfinished ({@code uploading} or {@code completing}), so the index is
     * sparse.
     */
    static final String DEADLINE_SHARD = "deadline_shard";
    /** The deadline index's sort key: {@link #RESUMABLE_UNTIL} in the fixed-width form of {@link #sortable}. */
    static final String DEADLINE_SORT = "deadline_sort";
    /** The default shard count, and what versions before {@code freight.storage.deadline-shards} wrote. */
    static final int DEADLINE_SHARDS = 16;

    private static final int SHA256_BYTES = 32;

    private UploadItem() {
    }

    static Map<String, AttributeValue> toItem(Upload upload) {
        return toItem(upload, DEADLINE_SHARDS);
    }

    /** The item, its deadline index partition one of {@code deadlineShards}. */
    static Map<String, AttributeValue> toItem(Upload upload, int deadlineShards) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(FILE_ID, string(upload.fileId().toString()));
        item.put(OWNER, string(upload.owner()));
        item.put("filename", string(upload.filename()));
        item.put("file_type", string(upload.fileType()));
        item.put("file_size", number(upload.fileSize()));
        item.put(AUTHOR_NAME, string(upload.authorName()));
        item.put("created_at", string(upload.createdAt().toString()));
        item.put(INITIATED_AT, string(upload.initiatedAt().toString()));
        item.put(INITIATED_SORT, string(sortable(upload.initiatedAt())));
        item.put("upload_id", string(upload.uploadId()));
        item.put("object_key", string(upload.objectKey()));
        item.put("part_size", number(upload.partSize()));
        item.put("part_count", number(upload.partCount()));
        putIfPresent(item, CHECKSUM_ALGORITHM, upload.checksumAlgorithm().wireName());
        putIfPresent(item, "declared_checksum_sha256", upload.declaredChecksum());
        if (!upload.metadata().isEmpty()) {
            item.put("metadata", AttributeValue.fromM(upload.metadata().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> string(entry.getValue())))));
        }
        item.put(UPLOAD_STATUS, string(upload.status().wireName()));
        putIfPresent(item, "etag", upload.etag());
        putIfPresent(item, "object_checksum_sha256", upload.objectChecksum());
        putIfPresent(item, "path_url", upload.pathUrl());
        if (upload.completedAt() != null) {
            item.put("completed_at", string(upload.completedAt().toString()));
        }
        if (upload.expiresAt() != null) {
            item.put(RESUMABLE_UNTIL, string(upload.expiresAt().toString()));
            if (upload.isOpen()) {
                // In the deadline index while unfinished (uploading or completing); every write replaces the item,
                // so ending drops it.
                item.put(DEADLINE_SHARD, number(deadlineShard(upload.fileId(), deadlineShards)));
                item.put(DEADLINE_SORT, string(sortable(upload.expiresAt())));
            }
        }
        if (upload.deleteAfter() != null) {
            item.put(EXPIRES_AT, number(upload.deleteAfter().getEpochSecond()));
        }
        if (upload.completingSince() != null) {
            item.put(COMPLETING_SINCE, string(upload.completingSince().toString()));
        }
        putIfPresent(item, "request_hash", upload.requestHash());
        item.put(VERSION, number(upload.version()));
        return item;
    }

    static Upload fromItem(Map<String, AttributeValue> item) {
        Map<String, String> metadata = item.containsKey("metadata")
                ? item.get("metadata").m().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().s()))
                : Map.of();
        long fileSize = whole(item, "file_size");
        return new Upload(
                UUID.fromString(text(item, FILE_ID)),
                text(item, OWNER),
                new Upload.FileFacts(text(item, "filename"), text(item, "file_type"), fileSize,
                        text(item, AUTHOR_NAME), Instant.parse(text(item, "created_at")),
                        text(item, "declared_checksum_sha256"), metadata),
                new Upload.PartTarget(text(item, "upload_id"), text(item, "object_key"),
                        new PartPlan(fileSize, whole(item, "part_size"), (int) whole(item, "part_count")),
                        // Records written before uploads had a kind were all created without an algorithm.
                        ChecksumAlgorithm.fromWireName(text(item, CHECKSUM_ALGORITHM))),
                new Upload.Lifecycle(UploadStatus.fromWireName(text(item, UPLOAD_STATUS)),
                        Instant.parse(text(item, INITIATED_AT)),
                        item.containsKey(RESUMABLE_UNTIL) ? Instant.parse(text(item, RESUMABLE_UNTIL)) : null,
                        item.containsKey(EXPIRES_AT) ? Instant.ofEpochSecond(whole(item, EXPIRES_AT)) : null,
                        item.containsKey(COMPLETING_SINCE) ? Instant.parse(text(item, COMPLETING_SINCE)) : null),
                new Upload.Outcome(text(item, "etag"), text(item, "object_checksum_sha256"),
                        // Only records written before the digests moved to their own item hold them here.
                        digestsIn(item),
                        text(item, "path_url"),
                        item.containsKey("completed_at") ? Instant.parse(text(item, "completed_at")) : null),
                text(item, "request_hash"),
                whole(item, VERSION));
    }

    /** The item holding the part digests of {@code upload} (which has some), apart from its record. */
    static Map<String, AttributeValue> digestsItem(Upload upload) {
        return Map.of(FILE_ID, digestsKey(upload.fileId()).get(FILE_ID),
                PART_SHA256S, AttributeValue.fromB(SdkBytes.fromByteArray(concatenated(upload.partChecksums()))));
    }

    static Map<String, AttributeValue> digestsKey(UUID fileId) {
        return Map.of(FILE_ID, string(DIGESTS_KEY_PREFIX + fileId));
    }

    /** The digests a part-digest item (or a record written before they moved out) holds; empty when none. */
    static List<String> digestsIn(Map<String, AttributeValue> item) {
        return item != null && item.containsKey(PART_SHA256S) ? split(item.get(PART_SHA256S).b().asByteArray())
                : List.of();
    }

    /** The deadline index partition of an upload: stable for its file id (and the shard count). */
    static int deadlineShard(UUID fileId, int deadlineShards) {
        return Math.floorMod(fileId.hashCode(), deadlineShards);
    }

    /**
     * A time as text that sorts like the time itself: {@code Instant.toString} drops zero fractions, so
     * "…:00Z" would sort after "…:00.5Z"; this always writes nine fraction digits.
     */
    static String sortable(Instant time) {
        return SORTABLE_TIME.format(time);
    }

    private static final java.time.format.DateTimeFormatter SORTABLE_TIME = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static byte[] concatenated(List<String> digests) {
        byte[] all = new byte[digests.size() * SHA256_BYTES];
        for (int index = 0; index < digests.size(); index++) {
            System.arraycopy(Base64.getDecoder().decode(digests.get(index)), 0, all, index * SHA256_BYTES, SHA256_BYTES);
        }
        return all;
    }

    private static List<String> split(byte[] all) {
        List<String> digests = new ArrayList<>(all.length / SHA256_BYTES);
        for (int offset = 0; offset + SHA256_BYTES <= all.length; offset += SHA256_BYTES) {
            digests.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(all, offset, offset + SHA256_BYTES)));
        }
        return digests;
    }

    static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, string(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long whole(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }
}
