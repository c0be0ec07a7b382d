package dev.freight.upload.storage;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The metadata table itself: its key, its indexes and TTL (created here when provisioning, the same as
 * deploy/cloudformation/storage.yaml), and the readiness check that it answers. One table holds the upload
 * records, their part digests, the owners' quota counters and the sweeper's lease, each kind under its own key
 * prefix.
 */
@ApplicationScoped
public class MetadataTable {

    /**
     * The unsharded owner index of earlier versions (partition {@code owner}, sort {@code initiated_sort}): no longer
     * created nor written; read, while a table still has it, for the records written before the sharded indexes
     * (docs/operations.md "Migrations").
     */
    public static final String OWNER_INDEX = "owner-index";

    /**
     * GSI: partition {@code owner_shard} (the owner and a shard from the file id, {@link IndexShards}), sort
     * {@code shard_sort} (fixed-width initiation time), projection ALL: an owner's uploads newest first in each
     * shard, and a listing never reads another owner's records.
     */
    public static final String OWNER_SHARD_INDEX = "owner-shard-index";

    /**
     * Sparse GSI of open uploads only ({@code uploading}, {@code completing}): partition {@code open_shard} (owner,
     * author and shard), sort {@code shard_sort}, projection ALL, so the resume listing reads only the open uploads
     * it shows, never the owner's history.
     */
    public static final String OPEN_INDEX = "open-index";

    /**
     * Sparse GSI of unfinished uploads only: partition {@code deadline_shard} (a small fixed shard number), sort
     * {@code deadline_sort} (the fixed-width resumable-until time), keys only. Querying each shard for a sort key
     * before now answers the uploads past their deadline.
     */
    public static final String DEADLINE_INDEX = "deadline-index";

    /**
     * The key the readiness probe reads, and nothing ever writes: not a file id (those are UUIDs), nor a lease or a
     * quota counter (their own prefixes), so the probe's GetItem always answers no item.
     */
    public static final String READINESS_PROBE_KEY = "probe#readiness";
    private static final Map<String, AttributeValue> PROBE_KEY = Map.of(UploadItem.FILE_ID,
            UploadItem.string(READINESS_PROBE_KEY));

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;

    MetadataTable(DynamoDbCalls calls) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
    }

    /**
     * Creates the table with its indexes (sharded owner index, open-uploads index, deadline index) and TTL when it
     * does not exist yet; adds those missing to a table made before they existed (dev mode's kept data).
     */
    public void createTableIfMissing() {
        calls.call(() -> {
            try {
                var existing = dynamoDb.describeTable(describe -> describe.tableName(table)).table();
                for (var index : List.of(deadlineIndex(), ownerShardIndex(), openIndex())) {
                    // One index per update: DynamoDB creates one GSI per UpdateTable call.
                    if (!existing.hasGlobalSecondaryIndexes() || existing.globalSecondaryIndexes().stream()
                            .noneMatch(present -> index.indexName().equals(present.indexName()))) {
                        Log.infof("Adding %s to table %s", index.indexName(), table);
                        dynamoDb.updateTable(update -> update.tableName(table).attributeDefinitions(
                                index.keySchema().stream().map(key -> key.attributeName()
                                        .equals(UploadItem.DEADLINE_SHARD) ? numberAttribute(key.attributeName())
                                                : attribute(key.attributeName())).toList())
                                .globalSecondaryIndexUpdates(change -> change.create(creation(index))));
                    }
                }
                return null;
            } catch (ResourceNotFoundException missing) {
                Log.infof("Creating table %s", table);
            }
            dynamoDb.createTable(create -> create.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(UploadItem.FILE_ID), attribute(UploadItem.OWNER_SHARD),
                            attribute(UploadItem.OPEN_SHARD), attribute(UploadItem.SHARD_SORT),
                            numberAttribute(UploadItem.DEADLINE_SHARD), attribute(UploadItem.DEADLINE_SORT))
                    .keySchema(key -> key.attributeName(UploadItem.FILE_ID).keyType(KeyType.HASH))
                    .globalSecondaryIndexes(ownerShardIndex(), openIndex(), deadlineIndex()));
            dynamoDb.waiter().waitUntilTableExists(describe -> describe.tableName(table));
            dynamoDb.updateTimeToLive(ttl -> ttl.tableName(table)
                    .timeToLiveSpecification(spec -> spec.attributeName(UploadItem.EXPIRES_AT).enabled(true)));
            return null;
        });
    }

    private static GlobalSecondaryIndex ownerShardIndex() {
        return index(OWNER_SHARD_INDEX, UploadItem.OWNER_SHARD, UploadItem.SHARD_SORT, ProjectionType.ALL);
    }

    private static GlobalSecondaryIndex openIndex() {
        return index(OPEN_INDEX, UploadItem.OPEN_SHARD, UploadItem.SHARD_SORT, ProjectionType.ALL);
    }

    private static GlobalSecondaryIndex deadlineIndex() {
        return index(DEADLINE_INDEX, UploadItem.DEADLINE_SHARD, UploadItem.DEADLINE_SORT, ProjectionType.KEYS_ONLY);
    }

    private static GlobalSecondaryIndex index(String name, String partition, String sort, ProjectionType projection) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key -> key.attributeName(partition).keyType(KeyType.HASH),
                        key -> key.attributeName(sort).keyType(KeyType.RANGE))
                .projection(projected -> projected.projectionType(projection)).build();
    }

    private static CreateGlobalSecondaryIndexAction creation(GlobalSecondaryIndex index) {
        return CreateGlobalSecondaryIndexAction.builder().indexName(index.indexName()).keySchema(index.keySchema())
                .projection(index.projection()).build();
    }

    /**
     * Checks the table answers (the readiness probe); throws when storage is unavailable, the table is missing
     * (ResourceNotFoundException) or access is denied. A GetItem of {@link #READINESS_PROBE_KEY}, not DescribeTable:
     * DescribeTable's response model loads ~200 more SDK classes at start-up (~1 MiB), and GetItem answers a missing
     * table, a denial or an outage just the same. Eventually consistent: the answer's content does not matter.
     */
    public void checkTable() {
        calls.call(() -> dynamoDb.getItem(get -> get.tableName(table).key(PROBE_KEY)));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeDefinition numberAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.N).build();
    }
}
