package dev.freight.upload.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;

/**
 * The record store in memory, with DynamoDB's conditional writes as the service uses them: create once, update
 * only the version read; a quota of open uploads per owner. A write can be made to fail after it was applied, as a
 * timeout after DynamoDB applied it. The deadline index holds the unfinished records only; the lease is
 * taken and moved on with the conditions {@code DynamoDbUploadRecords} writes.
 */
class InMemoryRecords implements UploadRecords, SweepLease {

    /** A lease item as DynamoDB holds it: who, until when, and the cursor. */
    record Lease(String holder, Instant until, SweepCursor cursor) {
    }

    final Map<String, Lease> leases = new ConcurrentHashMap<>();

    final Map<UUID, Upload> records = new ConcurrentHashMap<>();
    private final int maxOpenUploads;
    /** When set, the next create is stored and then fails with this. */
    RuntimeException failAfterNextCreate;
    /** When set, the next create fails with this and stores nothing. */
    RuntimeException failNextCreate;

    InMemoryRecords(int maxOpenUploads) {
        this.maxOpenUploads = maxOpenUploads;
    }

    @Override
    public synchronized void requireQuotaRoom(String owner, long fileSize) {
        checkQuota(owner);
    }

    private void checkQuota(String owner) {
        long open = records.values().stream().filter(upload -> upload.owner().equals(owner))
                .filter(Upload::isUploading).count();
        if (open + 1 > maxOpenUploads) {
            throw new QuotaExceededException("freight.quota.max-open-uploads", maxOpenUploads, open, 1);
        }
    }

    /** The outbox: every delivery written with its record, in order. */
    final List<OutboxEntry> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public synchronized void create(Upload upload, List<OutboxEntry> written) {
        if (failNextCreate != null) {
            RuntimeException failure = failNextCreate;
            failNextCreate = null;
            throw failure;
        }
        checkQuota(upload.owner());
        if (records.putIfAbsent(upload.fileId(), upload) != null) {
            throw new UploadExistsException(upload.fileId().toString(), null);
        }
        events.addAll(written);
        if (failAfterNextCreate != null) {
            RuntimeException failure = failAfterNextCreate;
            failAfterNextCreate = null;
            throw failure;
        }
    }

    @Override
    public Optional<Upload> find(UUID fileId) {
        return Optional.ofNullable(records.get(fileId));
    }

    @Override
    public List<String> partChecksums(Upload upload) {
        Upload stored = records.get(upload.fileId());
        return stored == null ? List.of() : stored.partChecksums();
    }

    @Override
    public synchronized void update(Upload next, List<OutboxEntry> written) {
        Upload stored = records.get(next.fileId());
        if (stored == null || stored.version() != next.version() - 1) {
            throw new StaleUploadException(next.fileId().toString(), null);
        }
        records.put(next.fileId(), next);
        events.addAll(written);
    }

    @Override
    public UploadPage listByOwner(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        return new UploadPage(records.values().stream().filter(upload -> upload.owner().equals(owner))
                .filter(upload -> authorName == null || authorName.equals(upload.authorName()))
                .filter(upload -> status == null || status == upload.status())
                .sorted(Comparator.comparing(Upload::initiatedAt).reversed()).limit(limit).toList(), null);
    }

    @Override
    public List<UUID> pastDeadline(Instant now, int limit) {
        return records.values().stream().filter(Upload::isOpen).filter(upload -> upload.expiresAt() != null)
                .filter(upload -> upload.expiresAt().isBefore(now)).sorted(Comparator.comparing(Upload::expiresAt))
                .limit(limit).map(Upload::fileId).toList();
    }

    /** One counter per owner here, always in step with the records: nothing to recount. */
    @Override
    public int recountRefusedQuotas() {
        return 0;
    }

    /** Deadline shards, spread as the store spreads them: by the file id. */
    volatile int deadlineShardCount = 4;

    @Override
    public int deadlineShards() {
        return deadlineShardCount;
    }

    @Override
    public List<UUID> pastDeadline(int shard, Instant now, int limit) {
        return pastDeadline(now, Integer.MAX_VALUE).stream()
                .filter(fileId -> Math.floorMod(fileId.hashCode(), deadlineShards()) == shard).limit(limit).toList();
    }

    @Override
    public synchronized Optional<SweepCursor> acquire(String name, String holder, Instant now, Instant until) {
        Lease current = leases.get(name);
        if (current != null && current.until().isAfter(now) && !current.holder().equals(holder)) {
            return Optional.empty();
        }
        SweepCursor cursor = current == null ? SweepCursor.START : current.cursor();
        leases.put(name, new Lease(holder, until, cursor));
        return Optional.of(cursor);
    }

    @Override
    public synchronized boolean advance(String name, String holder, SweepCursor reached, Instant until) {
        Lease current = leases.get(name);
        if (current == null || !current.holder().equals(holder)) {
            return false;
        }
        leases.put(name, new Lease(holder, until, reached));
        return true;
    }

    @Override
    public synchronized void release(String name, String holder, Instant until) {
        Lease current = leases.get(name);
        if (current != null && current.holder().equals(holder)) {
            leases.put(name, new Lease(holder, until, current.cursor()));
        }
    }
}
