package dev.freight.upload.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import dev.freight.upload.storage.QuotaReads.Observed;
import dev.freight.upload.storage.QuotaShards.Counts;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
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

    private final DynamoDbCalls calls;
    private final QuotaReads reads;
    private final QuotaRecount recount;
    private final OwnerQuota quota;
    private final QuotaShards shards;
    private final IntSupplier randomDraw;
    /** Samples a refused take reads before it reads every shard. */
    static final int SAMPLES = 2;

    @Inject
    QuotaCounters(DynamoDbCalls calls, QuotaReads reads, QuotaRecount recount, FreightConfig config) {
        this(calls, reads, recount, OwnerQuota.of(config), QuotaShards.of(config),
                () -> ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
    }

    QuotaCounters(DynamoDbCalls calls, QuotaReads reads, QuotaRecount recount, OwnerQuota quota, QuotaShards shards,
            IntSupplier randomDraw) {
        this.calls = calls;
        this.reads = reads;
        this.recount = recount;
        this.quota = quota;
        this.shards = shards;
        this.randomDraw = randomDraw;
    }

    /**
     * A quick refusal before anything is started in storage, eventually consistent (half the cost of a consistent
     * read): one shard drawn at random, which is enough when it has room; else a sample of at most
     * {@value QuotaShards#MAX_BATCH_KEYS} shards (one BatchGetItem); every shard only when the sample has no room
     * either (near the cap), or when the stored-file caps (which need the owner's sum) are set. The transaction of
     * {@link #create} is the authority.
     */
    void requireRoom(String owner, long fileSize) {
        try {
            checkRoom(owner, fileSize);
        } catch (QuotaExceededException full) {
            recount.noteRefused(owner);
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
            if (shards.fits(shard, reads.readOne(owner, shard, false), fileSize)) {
                return;
            }
            if (shards.count() > QuotaShards.MAX_BATCH_KEYS) {
                List<Integer> sample = shards.sample(this::randomBelow);
                if (shards.plan(reads.read(owner, sample, false).open(), fileSize, sample).isPresent()) {
                    return;
                }
            }
        }
        checkCaps(reads.readAll(owner, shards.count(), false), fileSize);
    }

    /**
     * Writes {@code recordPut} (the new record, conditional on its file id being new) and {@code alongside} (its
     * event's deliveries) and counts the upload, in one transaction: on the upload's home shard, else (refused)
     * where a sample of the shards shows room, else where a consistent read of every shard shows room
     * ({@link Search}). Refused only when that full read shows the cap reached: the cap stays exact.
     *
     * @throws UploadExistsException when the record exists already
     * @throws QuotaExceededException when the shards have no room left (nothing written)
     */
    void create(TransactWriteItem recordPut, List<TransactWriteItem> alongside, Upload upload) {
        Search search = new Search(upload.owner(), shards.homeShard(upload.fileId()));
        while (search.more()) {
            Optional<List<Claim>> plan = search.plan((known, candidates) -> shards.plan(known, upload.fileSize(),
                    candidates));
            if (plan.isEmpty()) {
                continue;
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
            search.refused();
        }
        recount.noteRefused(upload.owner());
        Observed known = search.fullRead();
        checkCaps(known, upload.fileSize());
        // Room appeared between the refusals and the last read: rare, and a retry will succeed.
        throw new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(),
                QuotaShards.sum(known.open()).uploads(), 1);
    }

    /**
     * Writes {@code recordPut} (the record with its size now known) and moves the owner's open bytes by
     * {@code growth} in one transaction: a growth is taken as a new upload's bytes are (home shard, then a sample,
     * then every shard), a shrink given back on the upload's home shard.
     *
     * @throws StaleUploadException when the record's condition failed
     * @throws QuotaExceededException when the shards have no room for the growth (nothing written)
     */
    void resize(TransactWriteItem recordPut, Upload next, long growth) {
        int home = shards.homeShard(next.fileId());
        if (growth <= 0) {
            TransactWriteItem giveBack = TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                    .key(QuotaReads.shardKey(next.owner(), home))
                    .updateExpression("ADD #bytes :growth")
                    .expressionAttributeNames(Map.of("#bytes", QuotaShards.OPEN_BYTES))
                    .expressionAttributeValues(Map.of(":growth", UploadItem.number(growth))).build()).build();
            if (calls.transact(List.of(recordPut, giveBack)) != null) {
                throw new StaleUploadException(next.fileId().toString(), null);
            }
            return;
        }
        Search search = new Search(next.owner(), home);
        while (search.more()) {
            Optional<List<Claim>> plan = search.plan((known, candidates) -> shards.planBytes(known, growth,
                    candidates));
            if (plan.isEmpty()) {
                continue;
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
            search.refused();
        }
        recount.noteRefused(next.owner());
        throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(),
                QuotaShards.sum(search.fullRead().open()).bytes(), growth);
    }

    private int randomBelow(int bound) {
        return Math.floorMod(randomDraw.getAsInt(), bound);
    }

    /**
     * Where one take looks for room, in three stages: the home shard as if empty (no read: the usual case, the
     * condition checks it); after a refusal, up to {@value #SAMPLES} samples of at most
     * {@value QuotaShards#MAX_BATCH_KEYS} random shards (one consistent BatchGetItem each); then consistent reads
     * of every shard. A refused take means another take used that room, so the full reads are bounded by the
     * shard count; the search ends when a full read shows no room.
     */
    private final class Search {
        private final String owner;
        private final int home;
        private Observed known = Observed.NONE;
        private List<Integer> candidates;
        private int samples;
        private boolean full;
        private int fullReads;
        private boolean exhausted;

        Search(String owner, int home) {
            this.owner = owner;
            this.home = home;
            this.candidates = shards.rotation(home);
        }

        boolean more() {
            return !exhausted && fullReads <= shards.count() + 1;
        }

        /** A plan among the shards known; when there is none, the search moves on (or ends after a full read). */
        Optional<List<Claim>> plan(java.util.function.BiFunction<Map<Integer, QuotaShards.Counts>, List<Integer>,
                Optional<List<Claim>>> planner) {
            Optional<List<Claim>> plan = planner.apply(known.open(), candidates);
            if (plan.isEmpty()) {
                if (full) {
                    exhausted = true;
                } else {
                    readAll(); // The sample had no room: near the cap, so every shard is read.
                }
            }
            return plan;
        }

        /** The take was refused: a shard was fuller than known. */
        void refused() {
            if (!full && samples < SAMPLES && shards.count() > QuotaShards.MAX_BATCH_KEYS) {
                samples++;
                candidates = shards.sample(QuotaCounters.this::randomBelow);
                known = reads.read(owner, candidates, true);
            } else {
                readAll();
            }
        }

        /** The last full read (made now if the search ended without one). */
        Observed fullRead() {
            if (!full) {
                readAll();
            }
            return known;
        }

        private void readAll() {
            full = true;
            fullReads++;
            candidates = shards.rotation(home);
            known = reads.readAll(owner, shards.count(), true);
        }
    }

    /** The transaction step that gives an ended upload's quota back, on its home shard. */
    TransactWriteItem release(Upload ended) {
        // A file recorded moves from the open counters to the stored ones, in the same step.
        boolean stored = ended.status() == UploadStatus.UPLOADED;
        Map<String, String> names = new HashMap<>(Map.of("#uploads", QuotaShards.OPEN_UPLOADS, "#bytes", QuotaShards.OPEN_BYTES));
        Map<String, AttributeValue> amounts = new HashMap<>(Map.of(":minusOne", UploadItem.number(-1),
                ":minusSize", UploadItem.number(-ended.fileSize())));
        if (stored) {
            names.putAll(Map.of("#storedFiles", QuotaShards.STORED_FILES, "#storedBytes", QuotaShards.STORED_BYTES));
            amounts.putAll(Map.of(":one", UploadItem.number(1), ":size", UploadItem.number(ended.fileSize())));
        }
        // No condition: the home shard may never have been taken from (ADD creates it, below zero).
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(QuotaReads.shardKey(ended.owner(), shards.homeShard(ended.fileId())))
                .updateExpression("ADD #uploads :minusOne, #bytes :minusSize"
                        + (stored ? ", #storedFiles :one, #storedBytes :size" : ""))
                .expressionAttributeNames(names).expressionAttributeValues(amounts).build()).build();
    }

    /** One take: the claim's amounts added to its shard, conditional on the shard's share. */
    private TransactWriteItem take(String owner, Claim claim) {
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(QuotaReads.shardKey(owner, claim.shard()))
                .updateExpression("ADD #uploads :uploads, #bytes :bytes")
                .conditionExpression("(attribute_not_exists(#uploads) OR #uploads <= :uploadsBefore) AND "
                        + "(attribute_not_exists(#bytes) OR #bytes <= :bytesBefore)")
                .expressionAttributeNames(Map.of("#uploads", QuotaShards.OPEN_UPLOADS, "#bytes", QuotaShards.OPEN_BYTES))
                .expressionAttributeValues(Map.of(":uploads", UploadItem.number(claim.uploads()),
                        ":bytes", UploadItem.number(claim.bytes()),
                        ":uploadsBefore", UploadItem.number(shards.uploadShare(claim.shard()) - claim.uploads()),
                        ":bytesBefore", UploadItem.number(shards.byteShare(claim.shard()) - claim.bytes())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
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

    /** The key of one of the owner's counter items (tests and tools read them). */
    public static String counterKey(String owner, int shard) {
        return QuotaShards.key(owner, shard);
    }
}
