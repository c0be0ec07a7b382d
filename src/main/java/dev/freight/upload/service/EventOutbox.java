package dev.freight.upload.service;

import java.time.Instant;
import java.util.List;

import dev.freight.webhook.UploadEvent;

/**
 * The deliveries of events waiting in the record store (written by the state change they report, in its
 * transaction): found when due, claimed by one sender at a time, and removed, rescheduled or dead-lettered after an
 * attempt. Every change is conditional, so two instances never both move one delivery on.
 */
public interface EventOutbox {

    /**
     * The deliveries of {@code event}, one per endpoint that wants its type (none when nobody does), each held by
     * the writing instance until {@code claimedUntil} for its first attempt; the record store writes them with the
     * state change ({@link UploadRecords#update(dev.freight.upload.model.Upload, List)}).
     */
    List<OutboxEntry> entries(UploadEvent event, Instant claimedUntil);

    /** Pending deliveries due at {@code now}, at most {@code limit}, earliest first per shard. */
    List<OutboxEntry> due(Instant now, int limit);

    /**
     * Takes the delivery for one attempt by moving its due time to {@code until} (past it, another sender may take it),
     * if it is still pending and due when {@code entry} was read; false when another sender took it first.
     */
    boolean claim(OutboxEntry entry, Instant until);

    /** Whether an earlier event of the same upload for the same endpoint is still pending (it goes first). */
    boolean waitsForEarlier(OutboxEntry entry);

    /** The receiver took it: the delivery is removed. */
    void delivered(OutboxEntry entry);

    /** Another attempt at {@code at} after {@code attempts} attempts; {@code lastError} for the operators. */
    void retryAt(OutboxEntry entry, int attempts, Instant at, String lastError);

    /** No more attempts: kept as a dead letter until replayed. */
    void deadLetter(OutboxEntry entry, int attempts, Instant at, String lastError);

    /** Dead letters, most recent first, at most {@code limit}. */
    List<OutboxEntry> deadLetters(int limit);

    /** Makes a dead letter pending again, due at {@code now} with fresh attempts; false when it is not one. */
    boolean replay(String key, Instant now);

    /** Whether the endpoint answered 410 at this URL (it gets no more attempts until it is enabled again). */
    boolean disabled(String endpoint, String url);

    void disable(String endpoint, String url, Instant at);

    void enable(String endpoint);
}
