package dev.freight.upload.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.storage.QuotaReads.Observed;
import dev.freight.upload.storage.QuotaShards.Counts;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Repairs drift of the quota counters: an owner's open records (from the owner index) counted against the sum of its
 * counter shards, and a difference seen twice the same corrected on shard 0. Drift comes from records that vanished
 * while holding quota (DynamoDB's TTL deleted them under earlier versions); this version never leaves any.
 */
@ApplicationScoped
public class QuotaRecount {

    private static final int MAX_OWNERS_TO_RECOUNT = 1_000;
    /**
     * Pages of the owner's records one recount reads at most beyond the first page of each index shard; an owner
     * with more is left as it is.
     */
    private static final int MAX_RECOUNT_PAGES = 50;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final QuotaReads reads;
    private final QuotaShards shards;
    /** Where the owner's records are listed: every shard of the owner index is read by a recount. */
    private final IndexShards indexShards;
    /** Owners refused at a cap since their last recount (at most {@value #MAX_OWNERS_TO_RECOUNT}). */
    private final Map<String, Boolean> refusedOwners = new ConcurrentHashMap<>();
    /** What the last recount of an owner saw, when it found a drift (corrected only if seen twice the same). */
    private final Map<String, Recount> lastRecounts = new ConcurrentHashMap<>();

    @Inject
    QuotaRecount(DynamoDbCalls calls, QuotaReads reads, FreightConfig config) {
        this(calls, reads, QuotaShards.of(config), IndexShards.of(config));
    }

    QuotaRecount(DynamoDbCalls calls, QuotaReads reads, QuotaShards shards, IndexShards indexShards) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.reads = reads;
        this.shards = shards;
        this.indexShards = indexShards;
    }

    /** Remembers an owner refused at a cap, so that the next {@link #recountRefused()} recounts it. */
    void noteRefused(String owner) {
        if (refusedOwners.size() < MAX_OWNERS_TO_RECOUNT) {
            refusedOwners.put(owner, Boolean.TRUE);
        }
    }

    /**
     * Recounts the owners refused at a cap since their last recount (the drift that matters shows as refusals:
     * counts left by records that vanished with their quota). Answers how many owners' counters it corrected.
     */
    int recountRefused() {
        int corrected = 0;
        for (String owner : List.copyOf(refusedOwners.keySet())) {
            if (recount(owner)) {
                corrected++;
            }
        }
        return corrected;
    }

    /**
     * The owner's open records (from the owner index) against its counters (read consistently before and after).
     * The index lags the table, so a difference is corrected only when the next recount sees the same difference
     * with the same counters, nothing having moved in between; the correction lands on shard 0, conditional on it
     * still holding what was read. Answers whether it corrected the counters.
     */
    boolean recount(String owner) {
        Observed before = reads.readAll(owner, shards.count(), true);
        Optional<Counts> counted = openRecords(owner);
        Observed after = reads.readAll(owner, shards.count(), true);
        if (counted.isEmpty() || !before.open().equals(after.open())) {
            lastRecounts.remove(owner);
            return false;
        }
        Counts summed = QuotaShards.sum(after.open());
        Counts drift = new Counts(counted.get().uploads() - summed.uploads(), counted.get().bytes() - summed.bytes());
        if (drift.equals(Counts.ZERO)) {
            refusedOwners.remove(owner);
            lastRecounts.remove(owner);
            return false;
        }
        Recount seen = new Recount(after.open(), drift);
        if (!seen.equals(lastRecounts.put(owner, seen))) {
            return false;
        }
        lastRecounts.remove(owner);
        refusedOwners.remove(owner);
        return correct(owner, after.open().get(0), drift);
    }

    private record Recount(Map<Integer, Counts> shards, Counts drift) {
    }

    private boolean correct(String owner, Counts shardZero, Counts drift) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":uploads", UploadItem.number(drift.uploads()),
                ":bytes", UploadItem.number(drift.bytes())));
        String unchanged = "attribute_not_exists(#uploads)";
        if (shardZero != null) {
            values.put(":uploadsRead", UploadItem.number(shardZero.uploads()));
            values.put(":bytesRead", UploadItem.number(shardZero.bytes()));
            unchanged = "#uploads = :uploadsRead AND #bytes = :bytesRead";
        }
        String condition = unchanged;
        try {
            calls.call(() -> dynamoDb.updateItem(update -> update.tableName(calls.table())
                    .key(QuotaReads.shardKey(owner, 0))
                    .updateExpression("ADD #uploads :uploads, #bytes :bytes").conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#uploads", QuotaShards.OPEN_UPLOADS,
                            "#bytes", QuotaShards.OPEN_BYTES))
                    .expressionAttributeValues(values)));
            Log.infof("Quota of %s recounted: %+d upload(s), %+d byte(s)", owner, drift.uploads(), drift.bytes());
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    /**
     * The owner's records that hold quota, counted from every shard of the owner index (and from the unsharded index
     * of earlier versions while the table has it); empty when there are too many to read.
     */
    private Optional<Counts> openRecords(String owner) {
        long uploads = 0;
        long bytes = 0;
        int pages = 0;
        for (int stream = 0; stream <= indexShards.count(); stream++) {
            boolean unsharded = stream == indexShards.count();
            String index = unsharded ? MetadataTable.OWNER_INDEX : MetadataTable.OWNER_SHARD_INDEX;
            String partitionAttribute = unsharded ? UploadItem.OWNER : UploadItem.OWNER_SHARD;
            String partition = unsharded ? owner : indexShards.ownerPartition(owner, stream);
            Map<String, AttributeValue> start = null;
            do {
                if (pages++ >= MAX_RECOUNT_PAGES + indexShards.count() + 1) {
                    return Optional.empty();
                }
                Map<String, AttributeValue> from = start;
                QueryResponse answer;
                try {
                    answer = dynamoDb.query(query -> query.tableName(calls.table()).indexName(index)
                            .keyConditionExpression("#partition = :partition")
                            .filterExpression("#status IN (:uploading, :completing) AND attribute_exists(#quota)")
                            .projectionExpression("#quota")
                            .expressionAttributeNames(Map.of("#partition", partitionAttribute,
                                    "#status", UploadItem.UPLOAD_STATUS, "#quota", QuotaCounters.QUOTA_BYTES))
                            .expressionAttributeValues(Map.of(":partition", UploadItem.string(partition),
                                    ":uploading", UploadItem.string(UploadStatus.UPLOADING.wireName()),
                                    ":completing", UploadItem.string(UploadStatus.COMPLETING.wireName())))
                            .exclusiveStartKey(from));
                } catch (DynamoDbException failure) {
                    if (unsharded && DynamoDbCalls.missingIndex(failure)) {
                        break; // A table without the earlier versions' index: nothing more to count.
                    }
                    throw calls.translate(failure);
                } catch (SdkException failure) {
                    throw calls.translate(failure);
                }
                for (Map<String, AttributeValue> item : answer.items()) {
                    uploads++;
                    bytes += QuotaReads.counterValue(item, QuotaCounters.QUOTA_BYTES);
                }
                start = answer.hasLastEvaluatedKey() && !answer.lastEvaluatedKey().isEmpty()
                        ? answer.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return Optional.of(new Counts(uploads, bytes));
    }
}
