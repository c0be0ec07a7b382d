package dev.freight.upload.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.upload.storage.QuotaShards.Counts;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Reads an owner's quota counter items ({@link QuotaShards}): several shards at once, in BatchGetItem calls. */
@ApplicationScoped
public class QuotaReads {

    /** BatchGetItem rounds per read: the first, and the unprocessed keys asked again twice at most. */
    private static final int BATCH_ROUNDS = 3;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;

    QuotaReads(DynamoDbCalls calls) {
        this.calls = calls;
        this.dynamoDb = calls.client();
    }

    /** The owner's shards as read: each shard's open counts, and the stored-file counts summed over them. */
    record Observed(Map<Integer, Counts> open, long storedFiles, long storedBytes) {

        static final Observed NONE = new Observed(Map.of(), 0, 0);
    }

    /** One shard's counts (zero when the item does not exist yet). */
    Counts readOne(String owner, int shard, boolean consistent) {
        return countsOf(calls.call(() -> dynamoDb.getItem(get -> get.tableName(calls.table())
                .key(shardKey(owner, shard)).consistentRead(consistent))).item());
    }

    /** Shards {@code 0 .. count - 1} of the owner, with the stored-file counts summed. */
    Observed readAll(String owner, int count, boolean consistent) {
        List<Integer> all = new ArrayList<>(count);
        for (int shard = 0; shard < count; shard++) {
            all.add(shard);
        }
        return read(owner, all, consistent);
    }

    /**
     * The given shards of the owner, with the stored-file counts summed over them: one BatchGetItem per
     * {@value QuotaShards#MAX_BATCH_KEYS} keys (AWS: "A single operation can retrieve up to 16 MB of data, which can
     * contain as many as 100 items", https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
     * A shard left unread (unprocessed keys after {@value #BATCH_ROUNDS} rounds) counts as zero: a take planned on it
     * is refused by its condition if it is fuller, and the next read sees it.
     */
    Observed read(String owner, List<Integer> shardNumbers, boolean consistent) {
        Map<Integer, Counts> open = new HashMap<>();
        long storedFiles = 0;
        long storedBytes = 0;
        for (int from = 0; from < shardNumbers.size(); from += QuotaShards.MAX_BATCH_KEYS) {
            List<Integer> chunk = shardNumbers.subList(from, Math.min(shardNumbers.size(),
                    from + QuotaShards.MAX_BATCH_KEYS));
            Map<String, Integer> shardOfKey = new HashMap<>();
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (int shard : chunk) {
                shardOfKey.put(QuotaShards.key(owner, shard), shard);
                keys.add(shardKey(owner, shard));
            }
            Map<String, KeysAndAttributes> wanted = Map.of(calls.table(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build());
            for (int round = 0; round < BATCH_ROUNDS && !wanted.isEmpty(); round++) {
                Map<String, KeysAndAttributes> asked = wanted;
                var answer = calls.call(() -> dynamoDb.batchGetItem(get -> get.requestItems(asked)));
                for (Map<String, AttributeValue> item : answer.responses().getOrDefault(calls.table(), List.of())) {
                    open.put(shardOfKey.get(item.get(UploadItem.FILE_ID).s()), countsOf(item));
                    storedFiles += counterValue(item, QuotaShards.STORED_FILES);
                    storedBytes += counterValue(item, QuotaShards.STORED_BYTES);
                }
                // AWS: "If a partial result is returned, the operation returns a value for UnprocessedKeys. You can
                // use this value to retry the operation" (API_BatchGetItem).
                wanted = answer.hasUnprocessedKeys() ? answer.unprocessedKeys() : Map.of();
            }
        }
        return new Observed(open, storedFiles, storedBytes);
    }

    static Counts countsOf(Map<String, AttributeValue> item) {
        return new Counts(counterValue(item, QuotaShards.OPEN_UPLOADS), counterValue(item, QuotaShards.OPEN_BYTES));
    }

    static long counterValue(Map<String, AttributeValue> item, String name) {
        return item == null || !item.containsKey(name) ? 0 : Long.parseLong(item.get(name).n());
    }

    static Map<String, AttributeValue> shardKey(String owner, int shard) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(QuotaShards.key(owner, shard)));
    }
}
