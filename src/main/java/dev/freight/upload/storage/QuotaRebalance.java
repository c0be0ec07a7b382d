package dev.freight.upload.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.upload.storage.QuotaShards.Counts;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Moves counts between an owner's quota counter shards, the sum unchanged, so that no shard holds more than its
 * share: after the single counter of earlier versions became shard 0, or after the shard count changed (the
 * configured count, or the caps and largest file size it is limited by, {@link QuotaShards#activeShards}): until then
 * an owner at its cap could open what the other shards' shares allow, and counts on shards no longer active are not
 * seen. Run by the shard backfill
 * ({@link MetadataMigrations#backfillQuotaShards()}).
 */
@ApplicationScoped
public class QuotaRebalance {

    private final DynamoDbCalls calls;
    private final QuotaReads reads;
    private final QuotaShards shards;

    @Inject
    QuotaRebalance(DynamoDbCalls calls, QuotaReads reads, FreightConfig config) {
        this(calls, reads, QuotaShards.of(config));
    }

    QuotaRebalance(DynamoDbCalls calls, QuotaReads reads, QuotaShards shards) {
        this.calls = calls;
        this.reads = reads;
        this.shards = shards;
    }

    /**
     * Moves counts from shards above their share to shards below theirs. Each move is one transaction conditional on
     * both shards still holding what was read. Answers how many moves it made.
     */
    int rebalance(String owner) {
        // Every configured shard: those past the owner's active ones hold counts written under other caps.
        Map<Integer, Counts> known = new HashMap<>(reads.readAll(owner, shards.configured(), true).open());
        int moves = 0;
        for (int from = 0; from < shards.configured(); from++) {
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
        return calls.transact(List.of(
                moveStep(owner, from, counts(known, from), -moved.uploads(), -moved.bytes()),
                moveStep(owner, to, counts(known, to), moved.uploads(), moved.bytes()))) == null;
    }

    private TransactWriteItem moveStep(String owner, int shard, Counts read, long uploads, long bytes) {
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(QuotaReads.shardKey(owner, shard))
                .updateExpression("ADD #uploads :uploads, #bytes :bytes")
                .conditionExpression(read.equals(Counts.ZERO)
                        ? "(attribute_not_exists(#uploads) OR #uploads = :uploadsRead) AND "
                                + "(attribute_not_exists(#bytes) OR #bytes = :bytesRead)"
                        : "#uploads = :uploadsRead AND #bytes = :bytesRead")
                .expressionAttributeNames(Map.of("#uploads", QuotaShards.OPEN_UPLOADS, "#bytes", QuotaShards.OPEN_BYTES))
                .expressionAttributeValues(Map.of(":uploads", UploadItem.number(uploads),
                        ":bytes", UploadItem.number(bytes), ":uploadsRead", UploadItem.number(read.uploads()),
                        ":bytesRead", UploadItem.number(read.bytes())))
                .build()).build();
    }
}
