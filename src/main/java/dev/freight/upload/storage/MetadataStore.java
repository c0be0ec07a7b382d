package dev.freight.upload.storage;

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
import dev.freight.problem.StorageUnavailableException;
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
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The only class that talks to DynamoDB: one item per upload, written with conditions (create once, update only
 * the version that was read), listed per owner through the {@value #OWNER_INDEX} index; and one counter item per
 * owner for its quota, changed in the same transaction as the upload record whose status holds or frees it.
 */
@ApplicationScoped
public class MetadataStore implements UploadRecords {

    /**
     * GSI: partition {@code owner}, sort {@code initiated_sort} (fixed-width initiation time), so an owner's uploads
     * come newest first and a listing never reads another owner's records.
     */
    public static final String OWNER_INDEX = "owner-index";

    /** Set on an upload record while it counts against its owner's quota (the declared size it counts). */
    static final String QUOTA_BYTES = "quota_bytes";
    static final String OPEN_UPLOADS = "open_uploads";
    static final String OPEN_BYTES = "open_bytes";
    /** Counter items share the table; their key cannot be a file id (those are UUIDs). */
    static final String QUOTA_KEY_PREFIX = "quota#";

    private static final String STORAGE = "DynamoDB";
    /** Items a filtered listing reads at most per request before it answers a shorter page with a next_token. */
    static final int MAX_EVALUATED_PER_LISTING = 5_000;
    private static final int TRANSACTION_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final FreightConfig.Quota quota;
    private final ListingTokens tokens;
    private final StorageFailures failures;

    MetadataStore(DynamoDbClient dynamoDb, FreightConfig config, ListingTokens tokens, StorageFailures failures) {
        this.dynamoDb = dynamoDb;
        this.failures = failures;
        this.table = config.storage().table();
        this.quota = config.quota();
        this.tokens = tokens;
    }

    /**
     * Refuses, before anything is started, an upload that its owner's quota cannot hold now (a consistent read of
     * the counter). {@link #create} checks again atomically, so a race past this check still cannot exceed the cap.
     *
     * @throws QuotaExceededException naming the limit
     */
    @Override
    public void checkQuota(String owner, long fileSize) {
        if (fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), 0, fileSize);
        }
        Map<String, AttributeValue> counter = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                .consistentRead(true).key(quotaKey(owner)))).item();
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
        Map<String, AttributeValue> item = UploadItem.toItem(next);
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
        TransactWriteItem release = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(quotaKey(next.owner()))
                .updateExpression("ADD #uploads :minusOne, #bytes :minusSize")
                .conditionExpression("attribute_exists(#uploads)")
                .expressionAttributeNames(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES))
                .expressionAttributeValues(Map.of(":minusOne", UploadItem.number(-1),
                        ":minusSize", UploadItem.number(-next.fileSize()))).build()).build();
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

    /** The owner's quota in use now: open uploads and their declared bytes. */
    public long[] quotaInUse(String owner) {
        Map<String, AttributeValue> counter = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                .consistentRead(true).key(quotaKey(owner)))).item();
        return new long[] { counterValue(counter, OPEN_UPLOADS), counterValue(counter, OPEN_BYTES) };
    }

    private void refuseOverQuota(Map<String, AttributeValue> counter, long fileSize) {
        long openUploads = counterValue(counter, OPEN_UPLOADS);
        long openBytes = counterValue(counter, OPEN_BYTES);
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
     * with a concurrent transaction on the same counter are retried after a short random wait.
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
                if (attempt >= TRANSACTION_ATTEMPTS) {
                    // Still conflicting (one owner's counter is hot): retry later, as for throttling (503).
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
                String sortKey = UploadItem.sortable(java.time.Instant.parse(item.get(UploadItem.INITIATED_AT).s()));
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

    /** Creates the table with its owner index and TTL when it does not exist yet. */
    public void createTableIfMissing() {
        call(() -> {
            try {
                dynamoDb.describeTable(describe -> describe.tableName(table));
                return null;
            } catch (ResourceNotFoundException missing) {
                Log.infof("Creating table %s", table);
            }
            dynamoDb.createTable(create -> create.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(UploadItem.FILE_ID), attribute(UploadItem.OWNER),
                            attribute(UploadItem.INITIATED_SORT))
                    .keySchema(key -> key.attributeName(UploadItem.FILE_ID).keyType(KeyType.HASH))
                    .globalSecondaryIndexes(index -> index.indexName(OWNER_INDEX)
                            .keySchema(
                                    key -> key.attributeName(UploadItem.OWNER).keyType(KeyType.HASH),
                                    key -> key.attributeName(UploadItem.INITIATED_SORT).keyType(KeyType.RANGE))
                            .projection(projection -> projection.projectionType(ProjectionType.ALL))));
            dynamoDb.waiter().waitUntilTableExists(describe -> describe.tableName(table));
            dynamoDb.updateTimeToLive(ttl -> ttl.tableName(table)
                    .timeToLiveSpecification(spec -> spec.attributeName(UploadItem.EXPIRES_AT).enabled(true)));
            return null;
        });
    }

    /** Checks the table answers; throws when storage is unavailable. */
    public void checkTable() {
        call(() -> dynamoDb.describeTable(describe -> describe.tableName(table)));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
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
