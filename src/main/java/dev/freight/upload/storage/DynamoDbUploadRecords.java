package dev.freight.upload.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.service.OutboxEntry;
import dev.freight.upload.service.QuotaExceededException;
import dev.freight.upload.service.StaleUploadException;
import dev.freight.upload.service.UploadExistsException;
import dev.freight.upload.service.UploadRecords;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The upload records in DynamoDB: one item per upload, written with conditions (create once, update only the
 * version that was read), each write that takes or frees quota in one transaction with the owner's
 * {@link QuotaCounters}. Listings go to {@link OwnerListing}, deadlines to {@link DeadlineIndex}.
 */
@ApplicationScoped
public class DynamoDbUploadRecords implements UploadRecords {

    /**
     * What completion adds to a record at most (ETag, object checksum, the object's URL, completion time; the part
     * digests go to an item of their own), so that create refuses a record that could not be completed.
     */
    static final int COMPLETION_ALLOWANCE = 1024;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final QuotaCounters quota;
    private final QuotaRecount recount;
    private final OwnerListing listing;
    private final DeadlineIndex deadlines;
    private final IndexShards shards;
    private final Outbox outbox;

    DynamoDbUploadRecords(DynamoDbCalls calls, QuotaCounters quota, QuotaRecount recount, OwnerListing listing,
            DeadlineIndex deadlines, Outbox outbox, dev.freight.config.FreightConfig config) {
        this.recount = recount;
        this.shards = IndexShards.of(config);
        this.outbox = outbox;
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
        this.quota = quota;
        this.listing = listing;
        this.deadlines = deadlines;
    }

    @Override
    public void requireQuotaRoom(String owner, long fileSize) {
        quota.requireRoom(owner, fileSize);
    }

    /**
     * Stores a new upload and counts it against its owner's quota, in one transaction conditional on the cap.
     *
     * @throws UploadExistsException when the file id exists already
     * @throws QuotaExceededException when the owner's open uploads or bytes are at the cap (nothing written)
     */
    @Override
    public void create(Upload upload, List<OutboxEntry> events) {
        Map<String, AttributeValue> item = UploadItem.toItem(upload, shards, deadlines.shards());
        item.put(QuotaCounters.QUOTA_BYTES, UploadItem.number(upload.fileSize()));
        long size = ItemSize.of(item) + COMPLETION_ALLOWANCE;
        if (size > ItemSize.MAX_ITEM_BYTES) {
            // Unreachable within the request rules (UploadRecordSizeTest); refused here rather than after S3
            // assembled the file, should those rules ever grow.
            throw new FreightException(ProblemType.INVALID_REQUEST, "The upload's record would take " + size
                    + " bytes, over DynamoDB's item limit of " + ItemSize.MAX_ITEM_BYTES + "; send less metadata");
        }
        // No TTL while the record holds quota: DynamoDB must never delete it before its ending gives the quota back.
        item.remove(UploadItem.EXPIRES_AT);
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(" + UploadItem.FILE_ID + ")").build()).build();
        quota.create(put, events.isEmpty() ? List.of() : outbox.writes(events), upload);
    }

    @Override
    public Optional<Upload> find(UUID fileId) {
        return calls.call(() -> {
            Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                    .key(DynamoDbCalls.key(fileId))).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(UploadItem.fromItem(item));
        });
    }

    /**
     * Replaces the record with {@code next} only if storage still holds {@code next.version() - 1}. When the write
     * moves the upload out of {@code uploading}, the same transaction gives its quota back, so the quota is
     * released exactly once, by whichever write wins the transition.
     *
     * @throws StaleUploadException when another request changed it first
     */
    @Override
    public void update(Upload next, List<OutboxEntry> events) {
        if (!next.partChecksums().isEmpty()) {
            // Before the record: a record saying uploaded never lacks its digests. Rewriting them is harmless (the
            // same parts, the same digests) should the record's own write then lose its condition.
            Map<String, AttributeValue> digests = UploadItem.digestsItem(next);
            requireFits(digests);
            calls.call(() -> dynamoDb.putItem(put -> put.tableName(table).item(digests)));
        }
        Map<String, AttributeValue> item = UploadItem.toItem(next, shards, deadlines.shards());
        requireFits(item);
        Map<String, AttributeValue> expected = Map.of(":expected", UploadItem.number(next.version() - 1));
        if (next.isOpen()) {
            // Still open (uploading or completing): the record keeps counting against the quota if it did, and
            // keeps no TTL while it does.
            Map<String, AttributeValue> counted = new HashMap<>(item);
            counted.put(QuotaCounters.QUOTA_BYTES, UploadItem.number(next.fileSize()));
            counted.remove(UploadItem.EXPIRES_AT);
            if (conditionalPut(counted, "#version = :expected AND attribute_exists(" + QuotaCounters.QUOTA_BYTES
                    + ")", expected, events)) {
                return;
            }
        } else if (releaseQuota(next, item, expected, events)) {
            return;
        }
        // The record did not hold quota (written before quotas existed, or already ended).
        if (!conditionalPut(item, "#version = :expected", expected, events)) {
            throw new StaleUploadException(next.fileId().toString(), null);
        }
    }

    /**
     * Each SHA-256 part digest of an uploaded file, in part order; empty for an upload without part checksums. Read
     * only here (a download by parts), so that the records every other call reads stay small.
     */
    @Override
    public List<String> partChecksums(Upload upload) {
        if (!upload.partChecksums().isEmpty() || !upload.checksummed()) {
            // A record written before the digests had an item of their own holds them itself.
            return upload.partChecksums();
        }
        return calls.call(() -> UploadItem.digestsIn(dynamoDb.getItem(get -> get.tableName(table)
                .consistentRead(true).key(UploadItem.digestsKey(upload.fileId()))).item()));
    }

    @Override
    public UploadPage listByOwner(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        return listing.listByOwner(owner, authorName, status, limit, pageToken);
    }

    @Override
    public List<UUID> pastDeadline(Instant now, int limit) {
        return deadlines.pastDeadline(now, limit);
    }

    @Override
    public int recountRefusedQuotas() {
        return recount.recountRefused();
    }

    @Override
    public int deadlineShards() {
        return deadlines.shards();
    }

    @Override
    public List<UUID> pastDeadline(int shard, Instant now, int limit) {
        return deadlines.pastDeadline(shard, now, limit);
    }

    /**
     * The record with its size known and the owner's open bytes moved by the difference, in one transaction: the
     * record must still be the counted version, {@code uploading} and holding quota; a growth must fit under the cap.
     */
    @Override
    public void declareSize(Upload counted, Upload next) {
        Map<String, AttributeValue> item = UploadItem.toItem(next, shards, deadlines.shards());
        item.put(QuotaCounters.QUOTA_BYTES, UploadItem.number(next.fileSize()));
        item.remove(UploadItem.EXPIRES_AT);
        requireFits(item);
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("#version = :expected AND #status = :uploading AND attribute_exists("
                        + QuotaCounters.QUOTA_BYTES + ")")
                .expressionAttributeNames(Map.of("#version", UploadItem.VERSION, "#status", UploadItem.UPLOAD_STATUS))
                .expressionAttributeValues(Map.of(":expected", UploadItem.number(counted.version()),
                        ":uploading", UploadItem.string(UploadStatus.UPLOADING.wireName())))
                .build()).build();
        quota.resize(put, next, next.fileSize() - counted.fileSize());
    }

    /** A write DynamoDB would refuse as too large is refused here, before it is sent, naming the size. */
    private static void requireFits(Map<String, AttributeValue> item) {
        long size = ItemSize.of(item);
        if (size > ItemSize.MAX_ITEM_BYTES) {
            throw new IllegalStateException("An item of " + size + " bytes for " + item.get(UploadItem.FILE_ID).s()
                    + " would exceed DynamoDB's item limit of " + ItemSize.MAX_ITEM_BYTES + " bytes");
        }
    }

    /** Writes the ended record and frees its quota in one transaction; false when the record held none. */
    private boolean releaseQuota(Upload next, Map<String, AttributeValue> item, Map<String, AttributeValue> expected,
            List<OutboxEntry> events) {
        Map<String, AttributeValue> values = new HashMap<>(expected);
        values.put(":uploading", UploadItem.string(UploadStatus.UPLOADING.wireName()));
        values.put(":completing", UploadItem.string(UploadStatus.COMPLETING.wireName()));
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("#version = :expected AND #status IN (:uploading, :completing) AND "
                        + "attribute_exists(" + QuotaCounters.QUOTA_BYTES + ")")
                .expressionAttributeNames(Map.of("#version", UploadItem.VERSION, "#status", UploadItem.UPLOAD_STATUS))
                .expressionAttributeValues(values).build()).build();
        return calls.transact(withEvents(List.of(put, quota.release(next)), events)) == null;
    }

    /** The transaction's items and, after them, the puts of its events' deliveries (the outbox). */
    private List<TransactWriteItem> withEvents(List<TransactWriteItem> items, List<OutboxEntry> events) {
        if (events.isEmpty()) {
            return items;
        }
        List<TransactWriteItem> all = new ArrayList<>(items);
        all.addAll(outbox.writes(events));
        return all;
    }

    private boolean conditionalPut(Map<String, AttributeValue> item, String condition,
            Map<String, AttributeValue> values, List<OutboxEntry> events) {
        if (!events.isEmpty()) {
            // With events, the put joins their deliveries in one transaction.
            TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#version", UploadItem.VERSION))
                    .expressionAttributeValues(values).build()).build();
            return calls.transact(withEvents(List.of(put), events)) == null;
        }
        try {
            calls.call(() -> dynamoDb.putItem(put -> put.tableName(table).item(item).conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#version", UploadItem.VERSION))
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }
}
