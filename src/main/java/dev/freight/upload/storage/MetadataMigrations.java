package dev.freight.upload.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.upload.model.UploadStatus;
import io.quarkus.logging.Log;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One-off migrations of records written by earlier versions, each switched on by a {@code freight.storage.backfill-*}
 * setting (docs/operations.md "Migrations"): idempotent, and safe beside running instances.
 */
@ApplicationScoped
public class MetadataMigrations {

    private final DynamoDbCalls calls;
    private final DeadlineIndex deadlines;
    private final QuotaRebalance quota;
    private final DynamoDbClient dynamoDb;
    private final String table;

    private final IndexShards shards;

    MetadataMigrations(DynamoDbCalls calls, DeadlineIndex deadlines, QuotaRebalance quota,
            dev.freight.config.FreightConfig config) {
        this.shards = IndexShards.of(config);
        this.calls = calls;
        this.deadlines = deadlines;
        this.quota = quota;
        this.dynamoDb = calls.client();
        this.table = calls.table();
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
            var page = calls.call(() -> dynamoDb.scan(scan -> scan.tableName(table).exclusiveStartKey(from)
                    .filterExpression("#status IN (:uploading, :completing) AND attribute_exists(#until) "
                            + "AND attribute_not_exists(#shard)")
                    .projectionExpression("#id, #until").expressionAttributeNames(names)
                    .expressionAttributeValues(uploading)));
            for (Map<String, AttributeValue> item : page.items()) {
                UUID fileId = UUID.fromString(item.get(UploadItem.FILE_ID).s());
                Instant deadline = Instant.parse(item.get(UploadItem.RESUMABLE_UNTIL).s());
                Map<String, AttributeValue> values = new HashMap<>(uploading);
                values.put(":shard", UploadItem.number(deadlines.shardOf(fileId)));
                values.put(":sort", UploadItem.string(UploadItem.sortable(deadline)));
                try {
                    calls.call(() -> dynamoDb.updateItem(update -> update.tableName(table).key(DynamoDbCalls.key(fileId))
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
        Log.infof("Deadline backfill: %d unfinished record(s) given the %s keys", changed, MetadataTable.DEADLINE_INDEX);
        return changed;
    }

    /**
     * Migration to records that hold quota without a TTL: takes {@code expires_at} off unfinished records that hold
     * quota, as versions before it wrote them, so DynamoDB's TTL never deletes a record whose quota is still counted
     * (its ending gives the quota back and sets the TTL again). Idempotent and safe beside running instances (each
     * write is conditional on the record still being unfinished and holding quota); answers how many records it
     * changed. Needs {@code dynamodb:Scan}.
     */
    public int backfillQuotaTtl() {
        int changed = 0;
        Map<String, AttributeValue> start = null;
        Map<String, String> names = Map.of("#status", UploadItem.UPLOAD_STATUS, "#quota", QuotaCounters.QUOTA_BYTES,
                "#ttl", UploadItem.EXPIRES_AT);
        Map<String, AttributeValue> open = Map.of(":uploading", UploadItem.string(UploadStatus.UPLOADING.wireName()),
                ":completing", UploadItem.string(UploadStatus.COMPLETING.wireName()));
        String stillCounted = "#status IN (:uploading, :completing) AND attribute_exists(#quota) "
                + "AND attribute_exists(#ttl)";
        do {
            Map<String, AttributeValue> from = start;
            var page = calls.call(() -> dynamoDb.scan(scan -> scan.tableName(table).exclusiveStartKey(from)
                    .filterExpression(stillCounted).projectionExpression("#id")
                    .expressionAttributeNames(Map.of("#id", UploadItem.FILE_ID, "#status", UploadItem.UPLOAD_STATUS,
                            "#quota", QuotaCounters.QUOTA_BYTES, "#ttl", UploadItem.EXPIRES_AT))
                    .expressionAttributeValues(open)));
            for (Map<String, AttributeValue> item : page.items()) {
                try {
                    calls.call(() -> dynamoDb.updateItem(update -> update.tableName(table)
                            .key(Map.of(UploadItem.FILE_ID, item.get(UploadItem.FILE_ID)))
                            .updateExpression("REMOVE #ttl").conditionExpression(stillCounted)
                            .expressionAttributeNames(names).expressionAttributeValues(open)));
                    changed++;
                } catch (ConditionalCheckFailedException alreadyDone) {
                    // Ended meanwhile (its ending set a TTL of its own) or rewritten without one.
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Log.infof("Quota TTL backfill: %d unfinished record(s) holding quota lost their TTL", changed);
        return changed;
    }

    /**
     * Migration to sharded quota counters (and after {@code freight.quota.counter-shards} grew): for every owner with
     * a counter item, moves counts from shards above their share onto shards with room ({@link QuotaRebalance}), so
     * each owner's cap is exact again. Idempotent and safe beside running instances (each move is conditional on
     * both shards still holding what was read); answers how many moves it made. Needs {@code dynamodb:Scan}.
     */
    public int backfillQuotaShards() {
        int moves = 0;
        Set<String> owners = new HashSet<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = calls.call(() -> dynamoDb.scan(scan -> scan.tableName(table).exclusiveStartKey(from)
                    .filterExpression("begins_with(#id, :counter)").projectionExpression("#id")
                    .expressionAttributeNames(Map.of("#id", UploadItem.FILE_ID))
                    .expressionAttributeValues(Map.of(":counter", UploadItem.string(QuotaShards.COUNTER_KEY_STEM)))));
            for (Map<String, AttributeValue> item : page.items()) {
                QuotaShards.ownerOf(item.get(UploadItem.FILE_ID).s()).ifPresent(owners::add);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        for (String owner : owners) {
            moves += quota.rebalance(owner);
        }
        Log.infof("Quota shard backfill: %d owner(s) read, %d move(s) onto shards with room", owners.size(), moves);
        return moves;
    }

    /**
     * Migration to the sharded indexes (from the owner index, or from the author index before it): gives every
     * record written by an earlier version (an upload record without {@code owner_shard}) its owner-shard keys, and
     * its open-index key while it is open, and removes {@code initiated_sort}, so it moves from the old index to the
     * sharded ones. Idempotent and safe beside running instances: each write is conditional on the record still
     * lacking the keys and still in the status it was read in (a record the service rewrites gets them anyway).
     * Answers how many records it changed. Needs {@code dynamodb:Scan} and {@code dynamodb:UpdateItem}.
     */
    public int backfillListingKeys() {
        int changed = 0;
        Map<String, AttributeValue> start = null;
        Map<String, String> names = Map.of("#id", UploadItem.FILE_ID, "#initiated", UploadItem.INITIATED_AT,
                "#shard", UploadItem.OWNER_SHARD, "#owner", UploadItem.OWNER, "#author", UploadItem.AUTHOR_NAME,
                "#status", UploadItem.UPLOAD_STATUS);
        do {
            Map<String, AttributeValue> from = start;
            var page = calls.call(() -> dynamoDb.scan(scan -> scan.tableName(table).exclusiveStartKey(from)
                    .filterExpression("attribute_exists(#initiated) AND attribute_not_exists(#shard)")
                    .projectionExpression("#id, #initiated, #owner, #author, #status")
                    .expressionAttributeNames(names)));
            for (Map<String, AttributeValue> item : page.items()) {
                UUID fileId = UUID.fromString(item.get(UploadItem.FILE_ID).s());
                UploadStatus status = UploadStatus.fromWireName(item.get(UploadItem.UPLOAD_STATUS).s());
                Map<String, AttributeValue> keys = new HashMap<>();
                UploadItem.putListingKeys(keys, fileId, item.get(UploadItem.OWNER).s(),
                        item.get(UploadItem.AUTHOR_NAME).s(), status.isOpen(),
                        Instant.parse(item.get(UploadItem.INITIATED_AT).s()), shards);
                Map<String, String> setNames = new HashMap<>(Map.of("#id", UploadItem.FILE_ID,
                        "#status", UploadItem.UPLOAD_STATUS, "#legacySort", UploadItem.INITIATED_SORT));
                Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", item.get(UploadItem.UPLOAD_STATUS)));
                List<String> sets = new ArrayList<>();
                keys.forEach((name, value) -> {
                    setNames.put("#" + name, name);
                    values.put(":" + name, value);
                    sets.add("#" + name + " = :" + name);
                });
                try {
                    calls.call(() -> dynamoDb.updateItem(update -> update.tableName(table)
                            .key(DynamoDbCalls.key(fileId))
                            .updateExpression("SET " + String.join(", ", sets) + " REMOVE #legacySort")
                            .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#"
                                    + UploadItem.OWNER_SHARD + ") AND #status = :status")
                            .expressionAttributeNames(setNames).expressionAttributeValues(values)));
                    changed++;
                } catch (ConditionalCheckFailedException alreadyDone) {
                    // Rewritten meanwhile (by this version: it has the keys; by an earlier one: the next run) or
                    // deleted by TTL.
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Log.infof("Listing backfill: %d record(s) moved to %s and %s", changed, MetadataTable.OWNER_SHARD_INDEX,
                MetadataTable.OPEN_INDEX);
        return changed;
    }
}
