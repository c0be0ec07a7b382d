package dev.freight.upload.storage;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
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
     * Creates the table with its owner and deadline indexes and TTL when it does not exist yet; adds the deadline
     * index to a table made before it existed (dev mode's kept data).
     */
    public void createTableIfMissing() {
        calls.call(() -> {
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
        calls.call(() -> dynamoDb.getItem(get -> get.tableName(table).key(PROBE_KEY)));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeDefinition numberAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.N).build();
    }
}
