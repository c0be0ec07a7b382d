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
    void aSizeLearntLaterTakesOnlyBytesWhereShardsHaveRoom() {
        // A Companion upload counted at 0 bytes: its size, known at complete, needs no upload count of its own.
        QuotaShards shards = new QuotaShards(4, 8, 4000);
        Map<Integer, Counts> known = Map.of(1, new Counts(2, 900), 2, new Counts(2, 1000));
        assertThat(shards.planBytes(known, 50, 1)).contains(List.of(new Claim(1, 0, 50)));
        assertThat(shards.planBytes(known, 1200, 1)).contains(List.of(new Claim(1, 0, 100), new Claim(3, 0, 1000),
                new Claim(0, 0, 100)));
        // Even where an upload count would not fit, bytes do.
        assertThat(shards.planBytes(Map.of(0, new Counts(2, 0)), 1000, 0)).contains(List.of(new Claim(0, 0, 1000)));
        assertThat(shards.planBytes(known, 2101, 1)).isEmpty();
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

    @Test
    void anOwnerWithSmallCapsUsesFewShardsAndABigOneAllConfigured() {
        long fiveTiB = 5L << 40;
        // Authentication on, default caps (100 open uploads, 5 TiB, files up to 5 TiB): a 5 TiB file must fit in
        // 32 shares, so 32 shards.
        assertThat(QuotaShards.activeShards(1024, 100, fiveTiB, fiveTiB, false)).isEqualTo(QuotaShards.MAX_CLAIMS);
        // Fewer open uploads than shards: one upload per shard at least.
        assertThat(QuotaShards.activeShards(1024, 10, Long.MAX_VALUE, fiveTiB, false)).isEqualTo(10);
        // No caps (authentication off) or caps large enough: every configured shard.
        assertThat(QuotaShards.activeShards(1024, Long.MAX_VALUE, Long.MAX_VALUE, fiveTiB, false)).isEqualTo(1024);
        assertThat(QuotaShards.activeShards(1024, 1_000_000, 1L << 50, fiveTiB, false)).isEqualTo(1024);
        // Stored-file caps need every init to sum all shards: one BatchGetItem's worth.
        assertThat(QuotaShards.activeShards(1024, Long.MAX_VALUE, Long.MAX_VALUE, fiveTiB, true))
                .isEqualTo(QuotaShards.MAX_BATCH_KEYS);
        // The largest file always fits in MAX_CLAIMS empty shards.
        QuotaShards shards = new QuotaShards(1024, 100, fiveTiB, fiveTiB, false);
        assertThat(shards.plan(Map.of(), fiveTiB, 5)).hasValueSatisfying(plan -> assertThat(plan)
                .hasSize(QuotaShards.MAX_CLAIMS));
    }

    @Test
    void shardsPastTheActiveOnesHoldNoShareAndTheHomeIsAmongTheActive() {
        QuotaShards shards = new QuotaShards(1024, 100, 5L << 40, 5L << 40, false);
        assertThat(shards.count()).isEqualTo(32);
        assertThat(shards.configured()).isEqualTo(1024);
        assertThat(shards.uploadShare(31)).isEqualTo(3);
        assertThat(shards.uploadShare(32)).isZero();
        assertThat(IntStream.range(0, 32).mapToLong(shards::uploadShare).sum()).isEqualTo(100);
        Random random = new Random(3);
        for (int index = 0; index < 1000; index++) {
            assertThat(shards.homeShard(new UUID(random.nextLong(), random.nextLong()))).isBetween(0, 31);
        }
    }

    @Test
    void aSampleIsAtMostOneBatchOfDistinctShards() {
        QuotaShards many = new QuotaShards(4096, Long.MAX_VALUE, Long.MAX_VALUE);
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            List<Integer> sample = many.sample(random::nextInt);
            assertThat(sample).hasSize(QuotaShards.MAX_BATCH_KEYS).doesNotHaveDuplicates()
                    .allSatisfy(shard -> assertThat(shard).isBetween(0, 4095));
        }
        // Every shard is drawn over many samples (no shard is left out of the spill).
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int round = 0; round < 400; round++) {
            seen.addAll(many.sample(random::nextInt));
        }
        assertThat(seen).hasSize(4096);
        // No more shards than one batch: the sample is all of them.
        assertThat(new QuotaShards(16, 100, 1000).sample(random::nextInt)).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 16).boxed().toList());
    }

    @Test
    void aPlanUsesOnlyTheShardsRead() {
        QuotaShards shards = new QuotaShards(1024, 1024, Long.MAX_VALUE);
        // Shards 7 and 9 read: 7 full, 9 with room; shard 8 (not read) is never chosen.
        Map<Integer, Counts> known = Map.of(7, new Counts(1, 0), 9, new Counts(0, 0));
        assertThat(shards.plan(known, 10, List.of(7, 9))).contains(List.of(new Claim(9, 1, 10)));
        assertThat(shards.plan(Map.of(7, new Counts(1, 0)), 10, List.of(7))).isEmpty();
        assertThat(shards.planBytes(known, 10, List.of(9))).contains(List.of(new Claim(9, 0, 10)));
    }

    /**
     * Takes on home shards with sampled spill, give-backs on home shards, over many shards: the sum stays the true
     * count, never passes the cap, and (with no spill) a take and its give-back write one item.
     */
    @Test
    void homeTakesWithSampledSpillKeepTheCapExact() {
        int cap = 400;
        QuotaShards shards = new QuotaShards(1024, cap, Long.MAX_VALUE);
        Map<Integer, Counts> stored = new HashMap<>();
        Map<UUID, Integer> open = new HashMap<>();
        Random random = new Random(5);
        int refused = 0;
        for (int step = 0; step < 4_000; step++) {
            if (random.nextInt(100) < 60 || open.isEmpty()) {
                UUID fileId = new UUID(random.nextLong(), random.nextLong());
                int home = shards.homeShard(fileId);
                Optional<List<Claim>> plan = shards.plan(Map.of(), 1, List.of(home));
                if (plan.isEmpty() || !fits(shards, stored, plan.get())) {
                    List<Integer> sample = shards.sample(random::nextInt);
                    plan = shards.plan(stored, 1, sample);
                    if (plan.isEmpty()) {
                        plan = shards.plan(stored, 1, shards.rotation(home));
                    }
                }
                if (plan.isEmpty()) {
                    assertThat(QuotaShards.sum(stored).uploads()).isEqualTo(cap);
                    refused++;
                    continue;
                }
                plan.get().forEach(claim -> stored.merge(claim.shard(), new Counts(claim.uploads(), claim.bytes()),
                        Counts::plus));
                open.put(fileId, home);
            } else {
                UUID ended = open.keySet().iterator().next();
                open.remove(ended);
                stored.merge(shards.homeShard(ended), new Counts(-1, -1), Counts::plus);
            }
            if (step % 50 == 0) {
                assertThat(QuotaShards.sum(stored).uploads()).isEqualTo(open.size()).isLessThanOrEqualTo(cap);
            }
        }
        assertThat(QuotaShards.sum(stored).uploads()).isEqualTo(open.size()).isLessThanOrEqualTo(cap);
        assertThat(refused).isPositive();
    }

    private static boolean fits(QuotaShards shards, Map<Integer, Counts> stored, List<Claim> plan) {
        return plan.stream().allMatch(claim -> shards.uploadShare(claim.shard())
                - stored.getOrDefault(claim.shard(), Counts.ZERO).uploads() >= claim.uploads());
    }
}
