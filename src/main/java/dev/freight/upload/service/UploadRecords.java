package dev.freight.upload.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;

/**
 * What the upload rules need from the record store: one record per upload, written with conditions, listed per
 * owner, with the owner's quota kept in step with the records that hold it.
 */
public interface UploadRecords {

    /**
     * Refuses, before anything is written or started in storage, an init the owner's quota has no room for now (one
     * read of the owner's counters); {@link #create} checks the open-upload caps again, atomically.
     *
     * @throws QuotaExceededException naming the limit
     */
    void requireQuotaRoom(String owner, long fileSize);

    /**
     * Stores a new upload and counts it against its owner's quota, atomically.
     *
     * @throws UploadExistsException when the file id exists already
     * @throws QuotaExceededException when the owner's quota is full (nothing written)
     */
    default void create(Upload upload) {
        create(upload, List.of());
    }

    /** {@link #create(Upload)}, with the deliveries of its event written in the same transaction (the outbox). */
    void create(Upload upload, List<OutboxEntry> events);

    Optional<Upload> find(UUID fileId);

    /**
     * Each SHA-256 part digest of an uploaded file (base64, in part order), kept apart from its record (a record
     * read by {@link #find} may not hold them); empty for an upload without part checksums.
     */
    List<String> partChecksums(Upload upload);

    /**
     * Replaces the record with {@code next} only if the store still holds version {@code next.version() - 1}; a
     * write that ends the upload (out of {@code uploading} or {@code completing}) gives its quota back in the same
     * step.
     *
     * @throws StaleUploadException when another request changed it first
     */
    default void update(Upload next) {
        update(next, List.of());
    }

    /**
     * {@link #update(Upload)}, with the deliveries of the event that reports it written in the same transaction (the
     * outbox): both are written, or neither.
     */
    void update(Upload next, List<OutboxEntry> events);

    /**
     * The owner's uploads, newest first, optionally only those by {@code authorName} and in {@code status}; the
     * page's {@code next_token} continues after its last upload.
     */
    UploadPage listByOwner(String owner, String authorName, UploadStatus status, int limit, String pageToken);

    /**
     * File ids of at most {@code limit} unfinished ({@code uploading}, {@code completing}) records whose deadline ({@link Upload#expiresAt()}) is
     * before {@code now}, earliest first, read from an index of unfinished records only (never a table scan). The
     * index is eventually consistent: read each record again before acting on it.
     */
    List<UUID> pastDeadline(Instant now, int limit);

    /**
     * Recounts the quota of the owners refused at a cap since their last recount, from their open records, and
     * corrects a drift seen the same twice with nothing moving in between. Answers how many owners it corrected.
     */
    int recountRefusedQuotas();

    /** How many shards the index of unfinished records is spread over; each is repaired on its own. */
    int deadlineShards();

    /** As {@link #pastDeadline(Instant, int)}, on one shard of the index only. */
    List<UUID> pastDeadline(int shard, Instant now, int limit);

    /**
     * Replaces the still-{@code uploading} record {@code counted} with {@code next}, a version on, whose size became
     * known (a Companion-protocol upload at complete, a browser POST once its file arrived), and moves the owner's
     * open bytes by the difference in the same step: a larger size must fit under the open-bytes cap.
     *
     * @throws QuotaExceededException when the owner's open bytes have no room for the difference (nothing written)
     * @throws StaleUploadException when another request changed the record first
     */
    default void declareSize(Upload counted, Upload next) {
        throw new UnsupportedOperationException("This record store cannot change a declared size");
    }
}
