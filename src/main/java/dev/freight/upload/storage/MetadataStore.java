package dev.freight.upload.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.problem.StorageUnavailableException;
import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The only class that talks to DynamoDB: one item per upload, written with conditions (create once, update only
 * the version that was read), listed per owner through the {@value #OWNER_INDEX} index; and one counter item per
 * owner for its quota, changed in the same transaction as the upload record whose status holds or frees it.
 * Unfinished records are also in the sparse {@value #DEADLINE_INDEX}, so those past their deadline are found without
 * a scan; and the sweeper's lease is one item of the same table.
 */
@ApplicationScoped
public class MetadataStore implements UploadRecords, SweepLease {

    /**
     * GSI: partition {@code owner}, sort {@code initiated_sort} (fixed-width initiation time), so an owner's uploads
     * come newest first and a listing never reads another owner's records.
     */
    public static final String OWNER_INDEX = "owner-index";

    /**
     * Sparse GSI of unfinished uploads only: partition {@code deadline_shard} (a small fixed shard number), sort
     * {@code deadline_sort} (the fixed-width resumable-until time), keys only. Querying each shard for a sort key
     * before now answers the uploads past their deadline.
     */
    public static final String DEADLINE_INDEX = "deadline-index";

    /** Lease items share the table; their key cannot be a file id (those are UUIDs). */
    static final String LEASE_KEY_PREFIX = "lease#";
    static final String LEASE_HOLDER = "lease_holder";
    /** Epoch milliseconds after which another holder may take the lease. */
    static final String LEASE_UNTIL = "lease_until";
    static final String CURSOR_KEY = "cursor_key_marker";
    static final String CURSOR_UPLOAD_ID = "cursor_upload_id_marker";

    /** Set on an upload record while it counts against its owner's quota (the declared size it counts). */
    static final String QUOTA_BYTES = "quota_bytes";
    static final String OPEN_UPLOADS = "open_uploads";
    static final String OPEN_BYTES = "open_bytes";
    /** Uploaded files of the owner and their sizes: added by the write that records a file, never taken back. */
    static final String STORED_FILES = "stored_files";
    static final String STORED_BYTES = "stored_bytes";
    /** Counter items share the table; their key cannot be a file id (those are UUIDs). */
    static final String QUOTA_KEY_PREFIX = "quota#";
    /**
     * The key the readiness probe reads, and nothing ever writes: not a file id (those are UUIDs), nor a lease or a
     * quota counter (their own prefixes), so the probe's GetItem always answers no item.
     */
    public static final String READINESS_PROBE_KEY = "probe#readiness";
    private static final Map<String, AttributeValue> PROBE_KEY = Map.of(UploadItem.FILE_ID,
            UploadItem.string(READINESS_PROBE_KEY));

    private static final String STORAGE = "DynamoDB";
    /** Items a filtered listing reads at most per request before it answers a shorter page with a next_token. */
    static final int MAX_EVALUATED_PER_LISTING = 5_000;
    private static final int TRANSACTION_ATTEMPTS = 8;
    /**
     * What completion adds to a record at most (ETag, object checksum, the object's URL, completion time; the part
     * digests go to an item of their own), so that create refuses a record that could not be completed.
     */
    static final int COMPLETION_ALLOWANCE = 1024;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final OwnerQuota quota;
    private final ListingTokens tokens;
    private final StorageFailures failures;

    MetadataStore(DynamoDbClient dynamoDb, FreightConfig config, ListingTokens tokens, StorageFailures failures) {
        this.dynamoDb = dynamoDb;
        this.failures = failures;
        this.table = config.storage().table();
        this.quota = OwnerQuota.of(config);
        this.tokens = tokens;
    }

    /** A file larger than any owner's byte quota, refused without a read. */
    private void requireWithinByteQuota(long fileSize) {
        // Needed apart from create's condition: an owner without a counter yet passes it whatever the size.
        if (fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), 0, fileSize);
        }
    }

    /**
     * One read of the owner's counters, eventually consistent (half the cost of a consistent one): it only spares
     * storage a multipart upload that {@link #create}'s conditional transaction, the authority, would refuse.
     */
    @Override
    public void requireQuotaRoom(String owner, long fileSize) {
        requireWithinByteQuota(fileSize);
        Map<String, AttributeValue> counter = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                .key(quotaKey(owner)))).item();
        refuseOverQuota(counter, fileSize);
    }

    /**
     * Stores a new upload and counts it against its owner's quota, in one transaction conditional on the cap.
     *
     * @throws UploadExistsException when the file id exists already
     * @throws QuotaExceededException when the owner's open uploads or bytes are at the cap (nothing written)
     */
    @Override
    public void create(Upload upload) {
        Map<String, AttributeValue> item = UploadItem.toItem(upload);
        item.put(QUOTA_BYTES, UploadItem.number(upload.fileSize()));
        long size = ItemSize.of(item) + COMPLETION_ALLOWANCE;
        if (size > ItemSize.MAX_ITEM_BYTES) {
            // Unreachable within the request rules (UploadRecordSizeTest); refused here rather than after S3
            // assembled the file, should those rules ever grow.
            throw new FreightException(ProblemType.INVALID_REQUEST, "The upload's record would take " + size
                    + " bytes, over DynamoDB's item limit of " + ItemSize.MAX_ITEM_BYTES + "; send less metadata");
        }
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(" + UploadItem.FILE_ID + ")").build()).build();
        TransactWriteItem count = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(quotaKey(upload.owner()))
                .updateExpression("ADD #uploads :one, #bytes :size")
                .conditionExpression("(attribute_not_exists(#uploads) OR #uploads <= :uploadsBefore) AND "
                        + "(attribute_not_exists(#bytes) OR #bytes <= :bytesBefore)")
                .expressionAttributeNames(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES))
                .expressionAttributeValues(Map.of(":one", UploadItem.number(1),
                        ":size", UploadItem.number(upload.fileSize()),
                        ":uploadsBefore", UploadItem.number(quota.maxOpenUploads() - 1),
                        ":bytesBefore", UploadItem.number(quota.maxOpenBytes() - upload.fileSize())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
        List<CancellationReason> refused = transact(List.of(put, count));
        if (refused == null) {
            return;
        }
        if (failedCondition(refused, 0)) {
            throw new UploadExistsException(upload.fileId().toString(), null);
        }
        refuseOverQuota(refused.get(1).item(), upload.fileSize());
        // The counter moved below the cap between the refusal and the read: rare, and a retry will succeed.
        throw new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(),
                quota.maxOpenUploads(), 1);
    }

    @Override
    public Optional<Upload> find(UUID fileId) {
        return call(() -> {
            Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                    .key(key(fileId))).item();
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
    public void update(Upload next) {
        if (!next.partChecksums().isEmpty()) {
            // Before the record: a record saying uploaded never lacks its digests. Rewriting them is harmless (the
            // same parts, the same digests) should the record's own write then lose its condition.
            Map<String, AttributeValue> digests = UploadItem.digestsItem(next);
            requireFits(digests);
            call(() -> dynamoDb.putItem(put -> put.tableName(table).item(digests)));
        }
        Map<String, AttributeValue> item = UploadItem.toItem(next);
        requireFits(item);
        Map<String, AttributeValue> expected = Map.of(":expected", UploadItem.number(next.version() - 1));
        if (next.isOpen()) {
            // Still open (uploading or completing): the record keeps counting against the quota if it did.
            item.put(QUOTA_BYTES, UploadItem.number(next.fileSize()));
            if (conditionalPut(item, "#version = :expected AND attribute_exists(" + QUOTA_BYTES + ")", expected)) {
                return;
            }
            item.remove(QUOTA_BYTES);
        } else if (releaseQuota(next, item, expected)) {
            return;
        }
        // The record did not hold quota (written before quotas existed, or already ended).
        if (!conditionalPut(item, "#version = :expected", expected)) {
            throw new StaleUploadException(next.fileId().toString(), null);
        }
    }

    /**
     * The record with its size known and the owner's open bytes moved by the difference, in one transaction: the
     * record must still be the counted version, {@code uploading} and holding quota; a growth must fit under the cap.
     */
    @Override
    public void declareSize(Upload counted, Upload next) {
        long growth = next.fileSize() - counted.fileSize();
        Map<String, AttributeValue> item = UploadItem.toItem(next);
        item.put(QUOTA_BYTES, UploadItem.number(next.fileSize()));
        requireFits(item);
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("#version = :expected AND #status = :uploading AND attribute_exists("
                        + QUOTA_BYTES + ")")
                .expressionAttributeNames(Map.of("#version", UploadItem.VERSION, "#status", UploadItem.UPLOAD_STATUS))
                .expressionAttributeValues(Map.of(":expected", UploadItem.number(counted.version()),
                        ":uploading", UploadItem.string(UploadStatus.UPLOADING.wireName())))
                .build()).build();
        String roomForGrowth = growth > 0 ? " AND #bytes <= :bytesBefore" : "";
        Map<String, AttributeValue> amounts = new HashMap<>(Map.of(":growth", UploadItem.number(growth)));
        if (growth > 0) {
            amounts.put(":bytesBefore", UploadItem.number(quota.maxOpenBytes() - growth));
        }
        TransactWriteItem count = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(quotaKey(next.owner()))
                .updateExpression("ADD #bytes :growth")
                .conditionExpression("attribute_exists(#bytes)" + roomForGrowth)
                .expressionAttributeNames(Map.of("#bytes", OPEN_BYTES))
                .expressionAttributeValues(amounts)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
        List<CancellationReason> refused = transact(List.of(put, count));
        if (refused == null) {
            return;
        }
        if (failedCondition(refused, 0)) {
            throw new StaleUploadException(next.fileId().toString(), null);
        }
        long openBytes = counterValue(refused.get(1).item(), OPEN_BYTES);
        throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), openBytes, growth);
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
        return call(() -> UploadItem.digestsIn(dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(UploadItem.digestsKey(upload.fileId()))).item()));
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
    private boolean releaseQuota(Upload next, Map<String, AttributeValue> item, Map<String, AttributeValue> expected) {
        Map<String, AttributeValue> values = new HashMap<>(expected);
        values.put(":uploading", UploadItem.string(UploadStatus.UPLOADING.wireName()));
        values.put(":completing", UploadItem.string(UploadStatus.COMPLETING.wireName()));
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("#version = :expected AND #status IN (:uploading, :completing) AND "
                        + "attribute_exists(" + QUOTA_BYTES + ")")
                .expressionAttributeNames(Map.of("#version", UploadItem.VERSION, "#status", UploadItem.UPLOAD_STATUS))
                .expressionAttributeValues(values).build()).build();
        // A file recorded moves from the open counters to the stored ones, in the same step.
        boolean stored = next.status() == UploadStatus.UPLOADED;
        Map<String, String> names = new HashMap<>(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES));
        Map<String, AttributeValue> amounts = new HashMap<>(Map.of(":minusOne", UploadItem.number(-1),
                ":minusSize", UploadItem.number(-next.fileSize())));
        if (stored) {
            names.putAll(Map.of("#storedFiles", STORED_FILES, "#storedBytes", STORED_BYTES));
            amounts.putAll(Map.of(":one", UploadItem.number(1), ":size", UploadItem.number(next.fileSize())));
        }
        TransactWriteItem release = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(quotaKey(next.owner()))
                .updateExpression("ADD #uploads :minusOne, #bytes :minusSize"
                        + (stored ? ", #storedFiles :one, #storedBytes :size" : ""))
                .conditionExpression("attribute_exists(#uploads)")
                .expressionAttributeNames(names).expressionAttributeValues(amounts).build()).build();
        return transact(List.of(put, release)) == null;
    }

    private boolean conditionalPut(Map<String, AttributeValue> item, String condition,
            Map<String, AttributeValue> values) {
        try {
            call(() -> dynamoDb.putItem(put -> put.tableName(table).item(item).conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#version", UploadItem.VERSION))
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    private void refuseOverQuota(Map<String, AttributeValue> counter, long fileSize) {
        long openUploads = counterValue(counter, OPEN_UPLOADS);
        long openBytes = counterValue(counter, OPEN_BYTES);
        long keptFiles = openUploads + counterValue(counter, STORED_FILES);
        long keptBytes = openBytes + counterValue(counter, STORED_BYTES);
        if (quota.maxStoredFiles() > 0 && keptFiles + 1 > quota.maxStoredFiles()) {
            throw QuotaExceededException.stored("freight.quota.max-stored-files", quota.maxStoredFiles(), keptFiles,
                    1);
        }
        if (quota.maxStoredBytes() > 0 && keptBytes + fileSize > quota.maxStoredBytes()) {
            throw QuotaExceededException.stored("freight.quota.max-stored-bytes", quota.maxStoredBytes(), keptBytes,
                    fileSize);
        }
        if (openUploads + 1 > quota.maxOpenUploads()) {
            throw new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(), openUploads, 1);
        }
        if (openBytes + fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), openBytes,
                    fileSize);
        }
    }

    private static long counterValue(Map<String, AttributeValue> counter, String name) {
        return counter == null || !counter.containsKey(name) ? 0 : Long.parseLong(counter.get(name).n());
    }

    /**
     * Runs a transaction; null when it committed, else the cancellation reasons when a condition failed. Conflicts
     * with a concurrent transaction on the same counter are retried after a short random wait; throttling is not.
     */
    private List<CancellationReason> transact(List<TransactWriteItem> items) {
        for (int attempt = 1;; attempt++) {
            try {
                call(() -> dynamoDb.transactWriteItems(write -> write.transactItems(items)));
                return null;
            } catch (TransactionCanceledException canceled) {
                List<CancellationReason> reasons = canceled.cancellationReasons();
                boolean conditionFailed = reasons.stream()
                        .anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()));
                if (conditionFailed) {
                    return reasons;
                }
                if (attempt >= TRANSACTION_ATTEMPTS || FailureCause.of(canceled) != FailureCause.CONFLICT) {
                    // Throttled (an immediate repeat is throttled too) or still conflicting: retry later (503).
                    throw failures.unavailable(STORAGE, canceled);
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + (5L << Math.min(attempt, 6))));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException(STORAGE, interrupted);
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /**
     * The owner's uploads, newest first, optionally only those by {@code authorName} and in {@code status}. Reads
     * only the owner's partition of the index; filtered pages read on until they hold {@code limit} uploads or the
     * owner has no more, and {@code next_token} continues after the last upload returned.
     */
    @Override
    public UploadPage listByOwner(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        Map<String, String> names = new HashMap<>(Map.of("#owner", UploadItem.OWNER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", UploadItem.string(owner)));
        List<String> filters = new ArrayList<>();
        if (authorName != null) {
            names.put("#author", UploadItem.AUTHOR_NAME);
            values.put(":author", UploadItem.string(authorName));
            filters.add("#author = :author");
        }
        if (status != null) {
            names.put("#status", UploadItem.UPLOAD_STATUS);
            values.put(":status", UploadItem.string(status.wireName()));
            filters.add("#status = :status");
        }
        // The token is bound to the caller and to these filters: another listing's token is refused.
        String listing = (authorName == null ? "" : "a:" + authorName) + "\n"
                + (status == null ? "" : status.wireName());
        Map<String, AttributeValue> start = pageToken == null ? null
                : startKey(owner, tokens.decode(pageToken, owner, listing));
        List<Upload> uploads = new ArrayList<>();
        Map<String, AttributeValue> lastReturned = null;
        int evaluated = 0;
        while (true) {
            // Unfiltered: one item more than the page shows whether another page exists.
            int readLimit = filters.isEmpty() ? limit - uploads.size() + 1 : Math.max(100, limit * 4);
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(OWNER_INDEX)
                    .keyConditionExpression("#owner = :owner").expressionAttributeNames(names)
                    .expressionAttributeValues(values).scanIndexForward(false).limit(readLimit)
                    .exclusiveStartKey(start);
            if (!filters.isEmpty()) {
                query.filterExpression(String.join(" AND ", filters));
            }
            QueryResponse page = call(() -> dynamoDb.query(query.build()));
            evaluated += page.scannedCount();
            boolean moreInPage = false;
            for (Map<String, AttributeValue> item : page.items()) {
                if (uploads.size() == limit) {
                    moreInPage = true;
                    break;
                }
                uploads.add(UploadItem.fromItem(item));
                lastReturned = item;
            }
            boolean moreInIndex = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            if (uploads.size() == limit) {
                return new UploadPage(uploads, moreInPage || moreInIndex ? token(lastReturned, owner, listing) : null);
            }
            if (!moreInIndex) {
                return new UploadPage(uploads, null);
            }
            start = page.lastEvaluatedKey();
            if (evaluated >= MAX_EVALUATED_PER_LISTING) {
                // Bounded work per request: a shorter page; the token continues where the reading stopped.
                return new UploadPage(uploads, token(start, owner, listing));
            }
        }
    }

    private String token(Map<String, AttributeValue> position, String owner, String listing) {
        return tokens.encode(new ListingTokens.ListingPosition(position.get(UploadItem.FILE_ID).s(),
                position.get(UploadItem.INITIATED_SORT).s()), owner, listing);
    }

    private static Map<String, AttributeValue> startKey(String owner, ListingTokens.ListingPosition position) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(position.fileId()),
                UploadItem.OWNER, UploadItem.string(owner),
                UploadItem.INITIATED_SORT, UploadItem.string(position.sortKey()));
    }

    /**
     * Queries every shard of {@value #DEADLINE_INDEX} for records whose deadline is before {@code now}, earliest
     * first per shard, until {@code limit} ids are found. A table created before the index existed answers none
     * (with a warning) until the index is added (docs/operations.md "Migrations").
     */
    @Override
    public List<UUID> pastDeadline(Instant now, int limit) {
        List<UUID> found = new ArrayList<>();
        for (int shard = 0; shard < UploadItem.DEADLINE_SHARDS && found.size() < limit; shard++) {
            Map<String, AttributeValue> values = Map.of(":shard", UploadItem.number(shard),
                    ":now", UploadItem.string(UploadItem.sortable(now)));
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                int wanted = limit - found.size();
                QueryResponse page;
                try {
                    page = dynamoDb.query(query -> query.tableName(table).indexName(DEADLINE_INDEX)
                            .keyConditionExpression("#shard = :shard AND #deadline < :now")
                            .expressionAttributeNames(Map.of("#shard", UploadItem.DEADLINE_SHARD,
                                    "#deadline", UploadItem.DEADLINE_SORT))
                            .expressionAttributeValues(values).limit(wanted).exclusiveStartKey(from));
                } catch (DynamoDbException failure) {
                    if (failure.statusCode() == 400 && String.valueOf(failure.getMessage()).contains("index")) {
                        Log.warnf("Table %s has no %s yet: records past their deadline are found only through "
                                + "their open multipart uploads (docs/operations.md)", table, DEADLINE_INDEX);
                        return found;
                    }
                    throw failures.translate(STORAGE, failure);
                } catch (SdkException failure) {
                    throw failures.translate(STORAGE, failure);
                }
                page.items().forEach(item -> found.add(UUID.fromString(item.get(UploadItem.FILE_ID).s())));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            } while (start != null && found.size() < limit);
        }
        return found;
    }

    @Override
    public Optional<SweepCursor> acquire(String name, String holder, Instant now, Instant until) {
        try {
            Map<String, AttributeValue> lease = call(() -> dynamoDb.updateItem(update -> update.tableName(table)
                    .key(leaseKey(name))
                    .updateExpression("SET #holder = :holder, #until = :until")
                    .conditionExpression("attribute_not_exists(#holder) OR #until <= :now OR #holder = :holder")
                    .expressionAttributeNames(Map.of("#holder", LEASE_HOLDER, "#until", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":holder", UploadItem.string(holder),
                            ":until", UploadItem.number(until.toEpochMilli()),
                            ":now", UploadItem.number(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW))).attributes();
            return Optional.of(lease.containsKey(CURSOR_KEY)
                    ? new SweepCursor(lease.get(CURSOR_KEY).s(),
                            lease.containsKey(CURSOR_UPLOAD_ID) ? lease.get(CURSOR_UPLOAD_ID).s() : null)
                    : SweepCursor.START);
        } catch (ConditionalCheckFailedException heldByAnother) {
            return Optional.empty();
        }
    }

    @Override
    public boolean advance(String name, String holder, SweepCursor reached, Instant until) {
        Map<String, String> names = new HashMap<>(Map.of("#holder", LEASE_HOLDER, "#until", LEASE_UNTIL,
                "#key", CURSOR_KEY, "#uploadId", CURSOR_UPLOAD_ID));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":holder", UploadItem.string(holder),
                ":until", UploadItem.number(until.toEpochMilli())));
        String expression;
        if (reached.isStart()) {
            expression = "SET #until = :until REMOVE #key, #uploadId";
        } else if (reached.uploadIdMarker() == null) {
            values.put(":key", UploadItem.string(reached.keyMarker()));
            expression = "SET #until = :until, #key = :key REMOVE #uploadId";
        } else {
            values.put(":key", UploadItem.string(reached.keyMarker()));
            values.put(":uploadId", UploadItem.string(reached.uploadIdMarker()));
            expression = "SET #until = :until, #key = :key, #uploadId = :uploadId";
        }
        try {
            call(() -> dynamoDb.updateItem(update -> update.tableName(table).key(leaseKey(name))
                    .updateExpression(expression).conditionExpression("#holder = :holder")
                    .expressionAttributeNames(names).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public void release(String name, String holder, Instant until) {
        try {
            call(() -> dynamoDb.updateItem(update -> update.tableName(table).key(leaseKey(name))
                    .updateExpression("SET #until = :until").conditionExpression("#holder = :holder")
                    .expressionAttributeNames(Map.of("#holder", LEASE_HOLDER, "#until", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":holder", UploadItem.string(holder),
                            ":until", UploadItem.number(until.toEpochMilli())))));
        } catch (ConditionalCheckFailedException notHeld) {
            // Another holder has it, or nobody ever took it: nothing to give back.
        }
    }

    /**
     * Migration to the deadline index: writes its keys on unfinished records written before it existed, so the
     * repair job finds them once they pass their deadline. Idempotent and safe beside running instances (each
     * write is conditional on the record still being unfinished without the keys); answers how many records
     * it changed. Needs {@code dynamodb:Scan}.
     */
    public int backfillDeadlineKeys() {
        int changed = 0;
        Map<String, AttributeValue> start = null;
        Map<String, String> names = Map.of("#id", UploadItem.FILE_ID, "#status", UploadItem.UPLOAD_STATUS,
                "#until", UploadItem.RESUMABLE_UNTIL, "#shard", UploadItem.DEADLINE_SHARD);
        Map<String, AttributeValue> uploading = Map.of(":uploading",
                UploadItem.string(UploadStatus.UPLOADING.wireName()), ":completing",
                UploadItem.string(UploadStatus.COMPLETING.wireName()));
        do {
            Map<String, AttributeValue> from = start;
            var page = call(() -> dynamoDb.scan(scan -> scan.tableName(table).exclusiveStartKey(from)
                    .filterExpression("#status IN (:uploading, :completing) AND attribute_exists(#until) "
                            + "AND attribute_not_exists(#shard)")
                    .projectionExpression("#id, #until").expressionAttributeNames(names)
                    .expressionAttributeValues(uploading)));
            for (Map<String, AttributeValue> item : page.items()) {
                UUID fileId = UUID.fromString(item.get(UploadItem.FILE_ID).s());
                Instant deadline = Instant.parse(item.get(UploadItem.RESUMABLE_UNTIL).s());
                Map<String, AttributeValue> values = new HashMap<>(uploading);
                values.put(":shard", UploadItem.number(UploadItem.deadlineShard(fileId)));
                values.put(":sort", UploadItem.string(UploadItem.sortable(deadline)));
                try {
                    call(() -> dynamoDb.updateItem(update -> update.tableName(table).key(key(fileId))
                            .updateExpression("SET #shard = :shard, #sort = :sort")
                            .conditionExpression("#status IN (:uploading, :completing) AND attribute_not_exists(#shard)")
                            .expressionAttributeNames(Map.of("#status", UploadItem.UPLOAD_STATUS,
                                    "#shard", UploadItem.DEADLINE_SHARD, "#sort", UploadItem.DEADLINE_SORT))
                            .expressionAttributeValues(values)));
                    changed++;
                } catch (ConditionalCheckFailedException alreadyDone) {
                    // Ended or rewritten meanwhile by the service (every write of an uploading record sets them).
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Log.infof("Deadline backfill: %d unfinished record(s) given the %s keys", changed, DEADLINE_INDEX);
        return changed;
    }

    /**
     * Migration from the author index: writes {@code initiated_sort} on records written before it existed, so the
     * owner index lists them. Idempotent and safe beside running instances (each write is conditional on the
     * attribute still missing); answers how many records it changed. Needs {@code dynamodb:Scan}.
     */
    public int backfillListingKeys() {
        int changed = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = call(() -> dynamoDb.scan(scan -> scan.tableName(table).exclusiveStartKey(from)
                    .filterExpression("attribute_exists(#initiated) AND attribute_not_exists(#sort)")
                    .projectionExpression("#id, #initiated")
                    .expressionAttributeNames(Map.of("#id", UploadItem.FILE_ID, "#initiated", UploadItem.INITIATED_AT,
                            "#sort", UploadItem.INITIATED_SORT))));
            for (Map<String, AttributeValue> item : page.items()) {
                String sortKey = UploadItem.sortable(Instant.parse(item.get(UploadItem.INITIATED_AT).s()));
                try {
                    call(() -> dynamoDb.updateItem(update -> update.tableName(table)
                            .key(Map.of(UploadItem.FILE_ID, item.get(UploadItem.FILE_ID)))
                            .updateExpression("SET #sort = :sort")
                            .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#sort)")
                            .expressionAttributeNames(Map.of("#id", UploadItem.FILE_ID, "#sort", UploadItem.INITIATED_SORT))
                            .expressionAttributeValues(Map.of(":sort", UploadItem.string(sortKey)))));
                    changed++;
                } catch (ConditionalCheckFailedException alreadyDone) {
                    // Rewritten meanwhile by the service (every write sets it) or deleted by TTL.
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Log.infof("Listing backfill: %d record(s) given %s", changed, UploadItem.INITIATED_SORT);
        return changed;
    }

    /**
     * Creates the table with its owner and deadline indexes and TTL when it does not exist yet; adds the deadline
     * index to a table made before it existed (dev mode's kept data).
     */
    public void createTableIfMissing() {
        call(() -> {
            try {
                var existing = dynamoDb.describeTable(describe -> describe.tableName(table)).table();
                if (!existing.hasGlobalSecondaryIndexes() || existing.globalSecondaryIndexes().stream()
                        .noneMatch(index -> DEADLINE_INDEX.equals(index.indexName()))) {
                    Log.infof("Adding %s to table %s", DEADLINE_INDEX, table);
                    dynamoDb.updateTable(update -> update.tableName(table)
                            .attributeDefinitions(numberAttribute(UploadItem.DEADLINE_SHARD),
                                    attribute(UploadItem.DEADLINE_SORT))
                            .globalSecondaryIndexUpdates(change -> change.create(deadlineIndexCreation())));
                }
                return null;
            } catch (ResourceNotFoundException missing) {
                Log.infof("Creating table %s", table);
            }
            dynamoDb.createTable(create -> create.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(UploadItem.FILE_ID), attribute(UploadItem.OWNER),
                            attribute(UploadItem.INITIATED_SORT), numberAttribute(UploadItem.DEADLINE_SHARD),
                            attribute(UploadItem.DEADLINE_SORT))
                    .keySchema(key -> key.attributeName(UploadItem.FILE_ID).keyType(KeyType.HASH))
                    .globalSecondaryIndexes(index -> index.indexName(OWNER_INDEX)
                            .keySchema(
                                    key -> key.attributeName(UploadItem.OWNER).keyType(KeyType.HASH),
                                    key -> key.attributeName(UploadItem.INITIATED_SORT).keyType(KeyType.RANGE))
                            .projection(projection -> projection.projectionType(ProjectionType.ALL)),
                            index -> index.indexName(DEADLINE_INDEX)
                                    .keySchema(
                                            key -> key.attributeName(UploadItem.DEADLINE_SHARD).keyType(KeyType.HASH),
                                            key -> key.attributeName(UploadItem.DEADLINE_SORT).keyType(KeyType.RANGE))
                                    .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY))));
            dynamoDb.waiter().waitUntilTableExists(describe -> describe.tableName(table));
            dynamoDb.updateTimeToLive(ttl -> ttl.tableName(table)
                    .timeToLiveSpecification(spec -> spec.attributeName(UploadItem.EXPIRES_AT).enabled(true)));
            return null;
        });
    }

    private static software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction deadlineIndexCreation() {
        return software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction.builder()
                .indexName(DEADLINE_INDEX)
                .keySchema(
                        key -> key.attributeName(UploadItem.DEADLINE_SHARD).keyType(KeyType.HASH),
                        key -> key.attributeName(UploadItem.DEADLINE_SORT).keyType(KeyType.RANGE))
                .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY)).build();
    }

    /**
     * Checks the table answers (the readiness probe); throws when storage is unavailable, the table is missing
     * (ResourceNotFoundException) or access is denied. A GetItem of {@link #READINESS_PROBE_KEY}, not DescribeTable:
     * DescribeTable's response model loads ~200 more SDK classes at start-up (~1 MiB), and GetItem answers a missing
     * table, a denial or an outage just the same. Eventually consistent: the answer's content does not matter.
     */
    public void checkTable() {
        call(() -> dynamoDb.getItem(get -> get.tableName(table).key(PROBE_KEY)));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeDefinition numberAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.N).build();
    }

    private static Map<String, AttributeValue> leaseKey(String name) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(LEASE_KEY_PREFIX + name));
    }

    private static Map<String, AttributeValue> quotaKey(String owner) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(QUOTA_KEY_PREFIX + owner));
    }

    private static Map<String, AttributeValue> key(UUID fileId) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(fileId.toString()));
    }

    private <T> T call(Supplier<T> dynamoDbCall) {
        try {
            return dynamoDbCall.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException conditionFailed) {
            // A lost condition is an answer, not an outage: create() and update() turn it into their own exception.
            throw conditionFailed;
        } catch (SdkException failure) {
            throw failures.translate(STORAGE, failure);
        }
    }
}
