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
     * read): one read of one shard, which is enough when that shard has room; all shards (one BatchGetItem) when it
     * has none, or when the stored-file caps (which need the owner's sum) are set. The transaction of
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
        if (quota.maxStoredFiles() == 0 && quota.maxStoredBytes() == 0) {
            int shard = shards.firstShard(randomDraw.getAsInt());
            if (shards.fits(shard, reads.readOne(owner, shard, false), fileSize)) {
                return;
            }
        }
        checkCaps(reads.readAll(owner, shards.count(), false), fileSize);
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
            known = reads.readAll(upload.owner(), shards.count(), true);
        }
        recount.noteRefused(upload.owner());
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
                    .key(QuotaReads.shardKey(next.owner(), shards.homeShard(next.fileId())))
                    .updateExpression("ADD #bytes :growth")
                    .expressionAttributeNames(Map.of("#bytes", QuotaShards.OPEN_BYTES))
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
            known = reads.readAll(next.owner(), shards.count(), true);
        }
        recount.noteRefused(next.owner());
        throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(),
                QuotaShards.sum(known.open()).bytes(), growth);
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
