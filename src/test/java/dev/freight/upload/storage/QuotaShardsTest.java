package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.freight.upload.storage.QuotaShards.Claim;
import dev.freight.upload.storage.QuotaShards.Counts;

/** The shard choice, the spill and the give-back of the sharded quota counters, without storage. */
class QuotaShardsTest {

    @Test
    void sharesAddUpToTheCapsExactly() {
        QuotaShards shards = new QuotaShards(16, 30, 100L << 20);
        assertThat(IntStream.range(0, 16).mapToLong(shards::uploadShare).sum()).isEqualTo(30);
        assertThat(IntStream.range(0, 16).mapToLong(shards::byteShare).sum()).isEqualTo(100L << 20);
        assertThat(shards.uploadShare(0)).isEqualTo(2);
        assertThat(shards.uploadShare(15)).isEqualTo(1);
        // No cap: every shard's share is huge, and they still add up without overflow.
        QuotaShards uncapped = new QuotaShards(16, Long.MAX_VALUE, Long.MAX_VALUE);
        assertThat(IntStream.range(0, 16).mapToLong(uncapped::uploadShare).sum()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theFirstShardIsDrawnAmongShardsThatHoldAnUpload() {
        QuotaShards shards = new QuotaShards(16, 3, 1000);
        assertThat(IntStream.range(0, 100).map(shards::firstShard).distinct().sorted().toArray())
                .containsExactly(0, 1, 2);
        QuotaShards many = new QuotaShards(16, 100, 1000);
        assertThat(IntStream.range(0, 100).map(many::firstShard).distinct().count()).isEqualTo(16);
    }

    @Test
    void keysNeverCollideWhateverTheOwnerIsCalled() {
        assertThat(QuotaShards.key("alice", 0)).isEqualTo("quota#alice");
        assertThat(QuotaShards.key("alice", 3)).isEqualTo("quotas#3#alice");
        // An owner named like another owner's shard suffix still gets keys of its own.
        assertThat(QuotaShards.key("1#alice", 0)).isNotEqualTo(QuotaShards.key("alice", 1));
        assertThat(QuotaShards.key("alice#1", 0)).isNotEqualTo(QuotaShards.key("alice", 1));
        // ...and every key leads back to its owner (the shard backfill finds owners by their counter items).
        for (String owner : List.of("alice", "1#alice", "alice#1", "quota#x")) {
            for (int shard : new int[] {0, 1, 15}) {
                String key = QuotaShards.key(owner, shard);
                assertThat(key).startsWith(QuotaShards.COUNTER_KEY_STEM);
                assertThat(QuotaShards.ownerOf(key)).contains(owner);
            }
        }
        assertThat(QuotaShards.ownerOf("lease#abandoned-upload-sweeper")).isEmpty();
        assertThat(QuotaShards.ownerOf(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void aFullShardSpillsToTheNextOneWithRoom() {
        QuotaShards shards = new QuotaShards(4, 8, 8000);
        Map<Integer, Counts> known = Map.of(2, new Counts(2, 200), 3, new Counts(1, 100));
        assertThat(shards.plan(known, 100, 2)).contains(List.of(new Claim(3, 1, 100)));
        // A shard with an upload's room but not the bytes is passed over too.
        Map<Integer, Counts> bytesFull = Map.of(2, new Counts(0, 2000));
        assertThat(shards.plan(bytesFull, 100, 2)).contains(List.of(new Claim(3, 1, 100)));
    }

    @Test
    void aFileLargerThanOneShardsByteShareTakesBytesFromSeveral() {
        QuotaShards shards = new QuotaShards(4, 8, 4000);
        Optional<List<Claim>> plan = shards.plan(Map.of(1, new Counts(1, 600)), 2500, 1);
        assertThat(plan).contains(List.of(new Claim(1, 1, 400), new Claim(2, 0, 1000), new Claim(3, 0, 1000),
                new Claim(0, 0, 100)));
        // Not enough room over all shards: no plan.
        assertThat(shards.plan(Map.of(1, new Counts(1, 600)), 3401, 1)).isEmpty();
    }

    @Test
    void noPlanOnceEveryShardIsAtItsShare() {
        QuotaShards shards = new QuotaShards(4, 6, 6000);
        Map<Integer, Counts> full = Map.of(0, new Counts(2, 20), 1, new Counts(2, 20), 2, new Counts(1, 10),
                3, new Counts(1, 10));
        assertThat(shards.plan(full, 1, 0)).isEmpty();
        assertThat(QuotaShards.sum(full)).isEqualTo(new Counts(6, 60));
    }

    @Test
    void giveBacksSpreadOverTheShardsByFileId() {
        QuotaShards shards = new QuotaShards(16, 100, 1000);
        int[] hits = new int[16];
        Random random = new Random(7);
        for (int index = 0; index < 16_000; index++) {
            hits[shards.homeShard(new UUID(random.nextLong(), random.nextLong()))]++;
        }
        assertThat(IntStream.of(hits).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(800, 1200));
    }

    /**
     * Takes on random shards with spill, give-backs on home shards (not where they took from): whatever the order,
     * the shards' sum is the true count, it never passes the cap, and a take is refused only at the cap.
     */
    @Test
    void givingBackElsewhereKeepsTheCapExact() {
        int cap = 30;
        QuotaShards shards = new QuotaShards(16, cap, Long.MAX_VALUE);
        Map<Integer, Counts> stored = new HashMap<>();
        List<UUID> open = new ArrayList<>();
        Random random = new Random(42);
        boolean someShardBelowZero = false;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(100) < 55) {
                Optional<List<Claim>> plan = shards.plan(stored, 1, shards.firstShard(random.nextInt(1 << 20)));
                if (plan.isPresent()) {
                    plan.get().forEach(claim -> stored.merge(claim.shard(),
                            new Counts(claim.uploads(), claim.bytes()), Counts::plus));
                    open.add(new UUID(random.nextLong(), random.nextLong()));
                } else {
                    assertThat(open).as("refused only at the cap").hasSize(cap);
                }
            } else if (!open.isEmpty()) {
                UUID ended = open.remove(random.nextInt(open.size()));
                stored.merge(shards.homeShard(ended), new Counts(-1, -1), Counts::plus);
            }
            assertThat(QuotaShards.sum(stored).uploads()).isEqualTo(open.size()).isLessThanOrEqualTo(cap);
            someShardBelowZero |= stored.values().stream().anyMatch(counts -> counts.uploads() < 0);
        }
        assertThat(someShardBelowZero).as("give-backs landed away from their takes").isTrue();
    }
}
