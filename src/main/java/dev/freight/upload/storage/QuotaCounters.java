package dev.freight.upload.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.service.QuotaExceededException;
import dev.freight.upload.service.StaleUploadException;
import dev.freight.upload.service.UploadExistsException;
import dev.freight.upload.storage.QuotaShards.Claim;
import dev.freight.upload.storage.QuotaShards.Counts;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The owners' quota counters, spread over {@code freight.quota.counter-shards} items per owner ({@link QuotaShards}):
 * a new upload is counted in the same transaction as its record's creation, and an ending gives it back in the same
 * transaction as the record's last open write.
 */
@ApplicationScoped
public class QuotaCounters {

    /** Set on an upload record while it counts against its owner's quota (the declared size it counts). */
    static final String QUOTA_BYTES = "quota_bytes";
    static final String OPEN_UPLOADS = "open_uploads";
    static final String OPEN_BYTES = "open_bytes";
    /** Uploaded files of the owner and their sizes: added by the write that records a file, never taken back. */
    static final String STORED_FILES = "stored_files";
    static final String STORED_BYTES = "stored_bytes";
    /** BatchGetItem rounds per read: the first, and the unprocessed keys asked again twice at most. */
    private static final int BATCH_ROUNDS = 3;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final OwnerQuota quota;
    private final QuotaShards shards;
    private final IntSupplier randomDraw;
    /** Where the owner's records are listed: every shard of the owner index is read by a recount. */
    private final IndexShards indexShards;
    /** Owners refused at a cap since their last recount (at most {@value #MAX_OWNERS_TO_RECOUNT}). */
    private final Map<String, Boolean> refusedOwners = new ConcurrentHashMap<>();
    /** What the last recount of an owner saw, when it found a drift (corrected only if seen twice the same). */
    private final Map<String, Recount> lastRecounts = new ConcurrentHashMap<>();
    private static final int MAX_OWNERS_TO_RECOUNT = 1_000;
    /** Pages of the owner's records one recount reads at most; an owner with more is left as it is. */
    private static final int MAX_RECOUNT_PAGES = 50;

    @Inject
    QuotaCounters(DynamoDbCalls calls, FreightConfig config) {
        this(calls, OwnerQuota.of(config), config.quota().counterShards(),
                () -> ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE), IndexShards.of(config));
    }

    QuotaCounters(DynamoDbCalls calls, OwnerQuota quota, int shardCount, IntSupplier randomDraw,
            IndexShards indexShards) {
        this.indexShards = indexShards;
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.quota = quota;
        this.shards = new QuotaShards(shardCount, quota.maxOpenUploads(), quota.maxOpenBytes());
        this.randomDraw = randomDraw;
    }

    /**
     * A quick refusal before anything is started in storage, eventually consistent (half the cost of a consistent
     * read): one read of one shard, which is enough when that shard has room; all shards (one BatchGetItem) when it
     * has none, or when the stored-file caps (which need the owner's sum) are set. The transaction of
     * {@link #create} is the authority.
     */
    void requireRoom(String owner, long fileSize) {
        try {
            checkRoom(owner, fileSize);
        } catch (QuotaExceededException full) {
            noteRefused(owner);
            throw full;
        }
    }

    private void checkRoom(String owner, long fileSize) {
        // Needed apart from create's condition: an owner without a counter yet passes it whatever the size.
        if (fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), 0, fileSize);
        }
        if (quota.uncapped()) {
            // No cap to refuse at (authentication off and none configured): the read would decide nothing. It was
            // ~5 % of a warm init + complete's CPU (docs/BENCHMARKS.md, CPU per upload).
            return;
        }
        if (quota.maxStoredFiles() == 0 && quota.maxStoredBytes() == 0) {
            int shard = shards.firstShard(randomDraw.getAsInt());
            Map<String, AttributeValue> counter = calls.call(() -> dynamoDb.getItem(get -> get
                    .tableName(calls.table()).key(shardKey(owner, shard)))).item();
            if (shards.fits(shard, countsOf(counter), fileSize)) {
                return;
            }
        }
        checkCaps(read(owner, false), fileSize);
    }

    /**
     * Writes {@code recordPut} (the new record, conditional on its file id being new) and {@code alongside} (its
     * event's deliveries) and counts the upload, in one transaction: on a shard drawn at random, else (refused) where a consistent read of all shards shows room.
     * Every refused take means another one took that room, so the attempts are bounded by the shard count.
     *
     * @throws UploadExistsException when the record exists already
     * @throws QuotaExceededException when the shards have no room left (nothing written)
     */
    void create(TransactWriteItem recordPut, List<TransactWriteItem> alongside, Upload upload) {
        Observed known = Observed.NONE;
        int first = shards.firstShard(randomDraw.getAsInt());
        for (int attempt = 1; attempt <= shards.count() + 2; attempt++) {
            Optional<List<Claim>> plan = shards.plan(known.open(), upload.fileSize(), first);
            if (plan.isEmpty()) {
                break;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(recordPut);
            items.addAll(alongside);
            plan.get().forEach(claim -> items.add(take(upload.owner(), claim)));
            List<CancellationReason> refused = calls.transact(items);
            if (refused == null) {
                return;
            }
            if (DynamoDbCalls.failedCondition(refused, 0)) {
                throw new UploadExistsException(upload.fileId().toString(), null);
            }
            // A shard was fuller than known: read them all (consistently) and plan again.
            known = read(upload.owner(), true);
        }
        noteRefused(upload.owner());
        checkCaps(known, upload.fileSize());
        // Room appeared between the refusals and the last read: rare, and a retry will succeed.
        throw new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(),
                QuotaShards.sum(known.open()).uploads(), 1);
    }

    /**
     * Writes {@code recordPut} (the record with its size now known) and moves the owner's open bytes by
     * {@code growth} in one transaction: a growth is taken as a new upload's bytes are (shards with room, read again
     * when refused), a shrink given back on the upload's home shard.
     *
     * @throws StaleUploadException when the record's condition failed
     * @throws QuotaExceededException when the shards have no room for the growth (nothing written)
     */
    void resize(TransactWriteItem recordPut, Upload next, long growth) {
        if (growth <= 0) {
            TransactWriteItem giveBack = TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                    .key(shardKey(next.owner(), shards.homeShard(next.fileId())))
                    .updateExpression("ADD #bytes :growth")
                    .expressionAttributeNames(Map.of("#bytes", OPEN_BYTES))
                    .expressionAttributeValues(Map.of(":growth", UploadItem.number(growth))).build()).build();
            if (calls.transact(List.of(recordPut, giveBack)) != null) {
                throw new StaleUploadException(next.fileId().toString(), null);
            }
            return;
        }
        Observed known = Observed.NONE;
        int first = shards.firstShard(randomDraw.getAsInt());
        for (int attempt = 1; attempt <= shards.count() + 2; attempt++) {
            Optional<List<Claim>> plan = shards.planBytes(known.open(), growth, first);
            if (plan.isEmpty()) {
                break;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(recordPut);
            plan.get().forEach(claim -> items.add(take(next.owner(), claim)));
            List<CancellationReason> refused = calls.transact(items);
            if (refused == null) {
                return;
            }
            if (DynamoDbCalls.failedCondition(refused, 0)) {
                throw new StaleUploadException(next.fileId().toString(), null);
            }
            known = read(next.owner(), true);
        }
        noteRefused(next.owner());
        throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(),
                QuotaShards.sum(known.open()).bytes(), growth);
    }

    /** The transaction step that gives an ended upload's quota back, on its home shard. */
    TransactWriteItem release(Upload ended) {
        // A file recorded moves from the open counters to the stored ones, in the same step.
        boolean stored = ended.status() == UploadStatus.UPLOADED;
        Map<String, String> names = new HashMap<>(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES));
        Map<String, AttributeValue> amounts = new HashMap<>(Map.of(":minusOne", UploadItem.number(-1),
                ":minusSize", UploadItem.number(-ended.fileSize())));
        if (stored) {
            names.putAll(Map.of("#storedFiles", STORED_FILES, "#storedBytes", STORED_BYTES));
            amounts.putAll(Map.of(":one", UploadItem.number(1), ":size", UploadItem.number(ended.fileSize())));
        }
        // No condition: the home shard may never have been taken from (ADD creates it, below zero).
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(shardKey(ended.owner(), shards.homeShard(ended.fileId())))
                .updateExpression("ADD #uploads :minusOne, #bytes :minusSize"
                        + (stored ? ", #storedFiles :one, #storedBytes :size" : ""))
                .expressionAttributeNames(names).expressionAttributeValues(amounts).build()).build();
    }

    /** One take: the claim's amounts added to its shard, conditional on the shard's share. */
    private TransactWriteItem take(String owner, Claim claim) {
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(shardKey(owner, claim.shard()))
                .updateExpression("ADD #uploads :uploads, #bytes :bytes")
                .conditionExpression("(attribute_not_exists(#uploads) OR #uploads <= :uploadsBefore) AND "
                        + "(attribute_not_exists(#bytes) OR #bytes <= :bytesBefore)")
                .expressionAttributeNames(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES))
                .expressionAttributeValues(Map.of(":uploads", UploadItem.number(claim.uploads()),
                        ":bytes", UploadItem.number(claim.bytes()),
                        ":uploadsBefore", UploadItem.number(shards.uploadShare(claim.shard()) - claim.uploads()),
                        ":bytesBefore", UploadItem.number(shards.byteShare(claim.shard()) - claim.bytes())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    /**
     * Every shard of the owner (one BatchGetItem; at most 100 keys, the configured maximum), with the stored-file
     * counts summed.
     */
    Observed read(String owner, boolean consistent) {
        Map<String, Integer> shardOfKey = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int shard = 0; shard < shards.count(); shard++) {
            shardOfKey.put(QuotaShards.key(owner, shard), shard);
            keys.add(shardKey(owner, shard));
        }
        Map<Integer, Counts> open = new HashMap<>();
        long storedFiles = 0;
        long storedBytes = 0;
        Map<String, KeysAndAttributes> wanted = Map.of(calls.table(),
                KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build());
        for (int round = 0; round < BATCH_ROUNDS && !wanted.isEmpty(); round++) {
            Map<String, KeysAndAttributes> asked = wanted;
            var answer = calls.call(() -> dynamoDb.batchGetItem(get -> get.requestItems(asked)));
            for (Map<String, AttributeValue> item : answer.responses().getOrDefault(calls.table(), List.of())) {
                open.put(shardOfKey.get(item.get(UploadItem.FILE_ID).s()), countsOf(item));
                storedFiles += counterValue(item, STORED_FILES);
                storedBytes += counterValue(item, STORED_BYTES);
            }
            // AWS: "If a partial result is returned, the operation returns a value for UnprocessedKeys. You can use
            // this value to retry the operation" (API_BatchGetItem). A shard still unread counts as zero: a take
            // planned on it is refused by its condition if it is fuller, and the next read sees it.
            wanted = answer.hasUnprocessedKeys() ? answer.unprocessedKeys() : Map.of();
        }
        return new Observed(open, storedFiles, storedBytes);
    }

    /** The owner's shards as read: each shard's open counts, and the stored-file counts summed over them. */
    record Observed(Map<Integer, Counts> open, long storedFiles, long storedBytes) {

        static final Observed NONE = new Observed(Map.of(), 0, 0);
    }

    private void checkCaps(Observed counters, long fileSize) {
        Counts open = QuotaShards.sum(counters.open());
        long keptFiles = open.uploads() + counters.storedFiles();
        long keptBytes = open.bytes() + counters.storedBytes();
        if (quota.maxStoredFiles() > 0 && keptFiles + 1 > quota.maxStoredFiles()) {
            throw QuotaExceededException.stored("freight.quota.max-stored-files", quota.maxStoredFiles(), keptFiles,
                    1);
        }
        if (quota.maxStoredBytes() > 0 && keptBytes + fileSize > quota.maxStoredBytes()) {
            throw QuotaExceededException.stored("freight.quota.max-stored-bytes", quota.maxStoredBytes(), keptBytes,
                    fileSize);
        }
        if (open.uploads() + 1 > quota.maxOpenUploads()) {
            throw new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(),
                    open.uploads(), 1);
        }
        if (open.bytes() + fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), open.bytes(),
                    fileSize);
        }
    }

    private static Counts countsOf(Map<String, AttributeValue> item) {
        return new Counts(counterValue(item, OPEN_UPLOADS), counterValue(item, OPEN_BYTES));
    }

    private static long counterValue(Map<String, AttributeValue> counter, String name) {
        return counter == null || !counter.containsKey(name) ? 0 : Long.parseLong(counter.get(name).n());
    }

    private void noteRefused(String owner) {
        if (refusedOwners.size() < MAX_OWNERS_TO_RECOUNT) {
            refusedOwners.put(owner, Boolean.TRUE);
        }
    }

    /**
     * Recounts the owners refused at a cap since their last recount (the drift that matters shows as refusals:
     * counts left by records that vanished with their quota, as DynamoDB's TTL deleted them under earlier versions).
     * Answers how many owners' counters it corrected.
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
        Observed before = read(owner, true);
        Optional<Counts> counted = openRecords(owner);
        Observed after = read(owner, true);
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
            calls.call(() -> dynamoDb.updateItem(update -> update.tableName(calls.table()).key(shardKey(owner, 0))
                    .updateExpression("ADD #uploads :uploads, #bytes :bytes").conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES))
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
                if (pages++ >= MAX_RECOUNT_PAGES) {
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
                                    "#status", UploadItem.UPLOAD_STATUS, "#quota", QUOTA_BYTES))
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
                    bytes += counterValue(item, QUOTA_BYTES);
                }
                start = answer.hasLastEvaluatedKey() && !answer.lastEvaluatedKey().isEmpty()
                        ? answer.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return Optional.of(new Counts(uploads, bytes));
    }

    /**
     * Moves counts from shards above their share to shards below theirs, the sum unchanged, so no shard holds more
     * than its share again: after the single counter of earlier versions became shard 0, or the shard count grew
     * (until then an owner at its cap could open what the other shards' shares allow). Each move is one transaction
     * conditional on both shards still holding what was read. Answers how many moves it made.
     */
    int rebalance(String owner) {
        Map<Integer, Counts> known = new HashMap<>(read(owner, true).open());
        int moves = 0;
        for (int from = 0; from < shards.count(); from++) {
            for (int to = 0; to < shards.count() && !over(known, from).equals(Counts.ZERO); to++) {
                Counts room = room(known, to);
                Counts excess = over(known, from);
                Counts moved = new Counts(Math.min(excess.uploads(), room.uploads()),
                        Math.min(excess.bytes(), room.bytes()));
                if (to == from || moved.equals(Counts.ZERO)) {
                    continue;
                }
                if (!move(owner, from, to, known, moved)) {
                    return moves; // Moved meanwhile: the next run reads again.
                }
                known.put(from, counts(known, from).plus(new Counts(-moved.uploads(), -moved.bytes())));
                known.put(to, counts(known, to).plus(moved));
                moves++;
            }
        }
        return moves;
    }

    private static Counts counts(Map<Integer, Counts> known, int shard) {
        return known.getOrDefault(shard, Counts.ZERO);
    }

    /** What a shard holds above its share (zero where it does not). */
    private Counts over(Map<Integer, Counts> known, int shard) {
        Counts held = counts(known, shard);
        return new Counts(Math.max(0, held.uploads() - shards.uploadShare(shard)),
                Math.max(0, held.bytes() - shards.byteShare(shard)));
    }

    /** What a shard could still take (zero where it is full). */
    private Counts room(Map<Integer, Counts> known, int shard) {
        Counts held = counts(known, shard);
        return new Counts(Math.max(0, shards.uploadShare(shard) - held.uploads()),
                Math.max(0, shards.byteShare(shard) - held.bytes()));
    }

    private boolean move(String owner, int from, int to, Map<Integer, Counts> known, Counts moved) {
        List<CancellationReason> refused = calls.transact(List.of(
                moveStep(owner, from, counts(known, from), -moved.uploads(), -moved.bytes()),
                moveStep(owner, to, counts(known, to), moved.uploads(), moved.bytes())));
        return refused == null;
    }

    private TransactWriteItem moveStep(String owner, int shard, Counts read, long uploads, long bytes) {
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(shardKey(owner, shard))
                .updateExpression("ADD #uploads :uploads, #bytes :bytes")
                .conditionExpression(read.equals(Counts.ZERO)
                        ? "(attribute_not_exists(#uploads) OR #uploads = :uploadsRead) AND "
                                + "(attribute_not_exists(#bytes) OR #bytes = :bytesRead)"
                        : "#uploads = :uploadsRead AND #bytes = :bytesRead")
                .expressionAttributeNames(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES))
                .expressionAttributeValues(Map.of(":uploads", UploadItem.number(uploads),
                        ":bytes", UploadItem.number(bytes), ":uploadsRead", UploadItem.number(read.uploads()),
                        ":bytesRead", UploadItem.number(read.bytes())))
                .build()).build();
    }

    /** The key of one of the owner's counter items (tests and tools read them). */
    public static String counterKey(String owner, int shard) {
        return QuotaShards.key(owner, shard);
    }

    private static Map<String, AttributeValue> shardKey(String owner, int shard) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(QuotaShards.key(owner, shard)));
    }
}
