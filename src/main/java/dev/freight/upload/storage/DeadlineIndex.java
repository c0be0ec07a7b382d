package dev.freight.upload.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Finds unfinished uploads past their deadline through the sparse {@value MetadataTable#DEADLINE_INDEX} (unfinished
 * records only, sharded by {@code deadline_shard}), never a table scan.
 */
@ApplicationScoped
public class DeadlineIndex {

    private static final String DEADLINE_INDEX = MetadataTable.DEADLINE_INDEX;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final int shards;

    DeadlineIndex(DynamoDbCalls calls, FreightConfig config) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
        this.shards = config.storage().deadlineShards();
    }

    /** How many partitions the index is spread over (each record's is fixed by its file id). */
    public int shards() {
        return shards;
    }

    int shardOf(UUID fileId) {
        return UploadItem.deadlineShard(fileId, shards);
    }

    /**
     * Records past their deadline on every shard, earliest first per shard, shard after shard until {@code limit}
     * ids are found (the repair itself goes shard by shard under leases: {@link #pastDeadline(int, Instant, int)}).
     */
    public List<UUID> pastDeadline(Instant now, int limit) {
        List<UUID> found = new ArrayList<>();
        for (int shard = 0; shard < shards && found.size() < limit; shard++) {
            found.addAll(pastDeadline(shard, now, limit - found.size()));
        }
        return found;
    }

    /**
     * Queries one shard of {@value MetadataTable#DEADLINE_INDEX} for records whose deadline is before {@code now},
     * earliest first, until {@code limit} ids are found. A table created before the index existed answers none (with
     * a warning) until the index is added (docs/operations.md "Migrations").
     */
    public List<UUID> pastDeadline(int shard, Instant now, int limit) {
        List<UUID> found = new ArrayList<>();
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
                throw calls.translate(failure);
            } catch (SdkException failure) {
                throw calls.translate(failure);
            }
            page.items().forEach(item -> found.add(UUID.fromString(item.get(UploadItem.FILE_ID).s())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() < limit);
        return found;
    }
}
