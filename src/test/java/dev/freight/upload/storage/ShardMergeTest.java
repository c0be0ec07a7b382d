package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/**
 * The merge of index shards: one newest-first order over every shard, page after page, nothing lost or repeated;
 * each shard read only as far as the page needs; the examined-items budget; and the cursors it hands on.
 */
class ShardMergeTest {

    /** An indexed upload as the merge sees it. */
    record Entry(String fileId, String sortKey, boolean wanted) {
        ShardMerge.Cursor position() {
            return ShardMerge.Cursor.after(fileId, sortKey);
        }
    }

    /**
     * Shards held in memory and read as DynamoDB answers a Query: newest first, {@code Limit} counting the examined
     * items (filtered ones included), a LastEvaluatedKey whenever the limit was reached.
     */
    static final class Shards implements ShardMerge.Source<Entry> {
        final List<List<Entry>> shards = new ArrayList<>();
        final Predicate<Entry> filter;
        int examined;
        int reads;

        Shards(int count, Predicate<Entry> filter) {
            for (int shard = 0; shard < count; shard++) {
                shards.add(new ArrayList<>());
            }
            this.filter = filter;
        }

        void add(int shard, Entry entry) {
            shards.get(shard).add(entry);
            shards.get(shard).sort((a, b) -> ShardMerge.NEWEST_FIRST.compare(a.position(), b.position()));
        }

        @Override
        public ShardMerge.Chunk<Entry> read(int stream, ShardMerge.Cursor from, int wanted) {
            reads++;
            List<Entry> shard = shards.get(stream);
            int start = 0;
            if (from.kind() == ShardMerge.Cursor.Kind.AFTER) {
                while (start < shard.size() && ShardMerge.NEWEST_FIRST.compare(shard.get(start).position(), from) <= 0) {
                    start++;
                }
            }
            int end = Math.min(shard.size(), start + wanted);
            List<Entry> answered = shard.subList(start, end).stream().filter(filter).toList();
            examined += end - start;
            ShardMerge.Cursor next = end - start == wanted ? shard.get(end - 1).position() : ShardMerge.Cursor.DONE;
            return new ShardMerge.Chunk<>(answered, next, end - start);
        }

        List<Entry> allNewestFirst() {
            List<Entry> all = new ArrayList<>();
            shards.forEach(all::addAll);
            all.sort((a, b) -> ShardMerge.NEWEST_FIRST.compare(a.position(), b.position()));
            return all;
        }
    }

    @Test
    void pagesFollowOneNewestFirstOrderOverEveryShardWithNothingLostOrRepeated() {
        Random random = new Random(28);
        IndexShards layout = new IndexShards(8);
        Shards shards = new Shards(8, entry -> true);
        for (int upload = 0; upload < 500; upload++) {
            UUID fileId = UUID.randomUUID();
            // Few distinct instants: many ties between shards, which the file id orders.
            String sortKey = String.format("2026-12-07T10:%02d:00.000000000Z", random.nextInt(40));
            shards.add(layout.shardOf(fileId), new Entry(fileId.toString(), sortKey, true));
        }
        List<Entry> listed = pageThrough(shards, 8, 7, Integer.MAX_VALUE);
        assertThat(listed).containsExactlyElementsOf(shards.allNewestFirst());
    }

    @Test
    void aPageReadsAboutWhatItShowsNotEveryShardsHistory() {
        Shards shards = new Shards(16, entry -> true);
        for (int shard = 0; shard < 16; shard++) {
            for (int upload = 0; upload < 100; upload++) {
                shards.add(shard, new Entry(new UUID(shard, upload).toString(),
                        String.format("2026-12-07T10:00:%02d.%09dZ", upload % 60, shard * 1000 + upload), true));
            }
        }
        ShardMerge.Page<Entry> page = ShardMerge.merge(starts(16), 20, Integer.MAX_VALUE, Entry::position, shards);
        assertThat(page.items()).hasSize(20).containsExactlyElementsOf(shards.allNewestFirst().subList(0, 20));
        // 1,600 items in the index; a first read of ceil(20/16)+1 = 3 from each shard, then a little more from the
        // shards the page drew on.
        assertThat(shards.examined).isLessThanOrEqualTo(20 + 16 * 3);
        assertThat(page.examined()).isEqualTo(shards.examined);
        assertThat(page.next()).hasSize(16);
    }

    @Test
    void onlyTheShardsTheOwnerWroteToAnswerAndAnEmptyShardIsReadOnce() {
        Shards shards = new Shards(4, entry -> true);
        shards.add(2, new Entry(UUID.randomUUID().toString(), "2026-12-07T10:00:00.000000000Z", true));
        ShardMerge.Page<Entry> page = ShardMerge.merge(starts(4), 20, Integer.MAX_VALUE, Entry::position, shards);
        assertThat(page.items()).hasSize(1);
        assertThat(page.next()).as("every shard done: the last page").isNull();
        assertThat(shards.reads).isEqualTo(4);
    }

    @Test
    void theBudgetOfExaminedItemsGivesAShorterPageThatContinuesWithoutLoss() {
        // Only one upload in ten passes the filter (another author's uploads, say).
        Random random = new Random(7);
        IndexShards layout = new IndexShards(4);
        Shards shards = new Shards(4, Entry::wanted);
        for (int upload = 0; upload < 2_000; upload++) {
            UUID fileId = UUID.randomUUID();
            shards.add(layout.shardOf(fileId), new Entry(fileId.toString(),
                    String.format("2026-12-07T%02d:%02d:%02d.000000000Z", upload / 3600, upload / 60 % 60, upload % 60),
                    random.nextInt(10) == 0));
        }
        ShardMerge.Page<Entry> first = ShardMerge.merge(starts(4), 100, 300, Entry::position, shards);
        assertThat(first.items().size()).isLessThan(100);
        assertThat(first.examined()).isLessThan(300 + 4 * 60);
        assertThat(first.next()).isNotNull();
        List<Entry> wanted = shards.allNewestFirst().stream().filter(Entry::wanted).toList();
        assertThat(pageThrough(shards, 4, 100, 300)).containsExactlyElementsOf(wanted);
    }

    @Test
    void aCursorGoesOnAfterTheLastItemTakenFromItsShardNotAfterWhatWasOnlyRead() {
        Shards shards = new Shards(2, entry -> true);
        // Shard 0 holds the three newest; shard 1 the next three.
        for (int index = 0; index < 6; index++) {
            shards.add(index < 3 ? 0 : 1, new Entry(new UUID(0, index).toString(),
                    "2026-12-07T10:00:0" + (9 - index) + ".000000000Z", true));
        }
        ShardMerge.Page<Entry> page = ShardMerge.merge(starts(2), 2, Integer.MAX_VALUE, Entry::position, shards);
        assertThat(page.items()).extracting(Entry::fileId).containsExactly(new UUID(0, 0).toString(),
                new UUID(0, 1).toString());
        // Shard 1 was read (its newest items) but gave nothing: it starts again from its start.
        assertThat(page.next()).containsExactly(ShardMerge.Cursor.after(new UUID(0, 1).toString(),
                "2026-12-07T10:00:08.000000000Z"), ShardMerge.Cursor.START);
    }

    @Test
    void theReadsOfOneStepRunInParallelBoundedAndGiveTheSamePages() throws Exception {
        Random random = new Random(64);
        IndexShards layout = new IndexShards(64);
        Shards shards = new Shards(64, entry -> true);
        for (int upload = 0; upload < 600; upload++) {
            UUID fileId = new UUID(random.nextLong(), random.nextLong());
            shards.add(layout.shardOf(fileId), new Entry(fileId.toString(),
                    String.format("2026-12-07T10:%02d:00.000000000Z", random.nextInt(60)), true));
        }
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
        ShardMerge.Source<Entry> slow = (stream, from, wanted) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1);
                synchronized (shards) {
                    return shards.read(stream, from, wanted);
                }
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException(interrupted);
            } finally {
                inFlight.decrementAndGet();
            }
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<Entry> listed = new ArrayList<>();
            List<ShardMerge.Cursor> cursors = starts(64);
            while (cursors != null) {
                ShardMerge.Page<Entry> page = ShardMerge.merge(cursors, 25, Integer.MAX_VALUE, Entry::position, slow,
                        new ShardMerge.Reads(pool, 4));
                listed.addAll(page.items());
                cursors = page.next();
            }
            assertThat(listed).containsExactlyElementsOf(shards.allNewestFirst());
            assertThat(mostInFlight.get()).isBetween(2, 4);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Entry> pageThrough(Shards shards, int count, int limit, int maxExamined) {
        List<Entry> listed = new ArrayList<>();
        List<ShardMerge.Cursor> cursors = starts(count);
        for (int pages = 0; cursors != null; pages++) {
            assertThat(pages).as("pages end").isLessThan(10_000);
            ShardMerge.Page<Entry> page = ShardMerge.merge(cursors, limit, maxExamined, Entry::position, shards);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            listed.addAll(page.items());
            cursors = page.next();
        }
        return listed;
    }

    private static List<ShardMerge.Cursor> starts(int count) {
        return new ArrayList<>(Collections.nCopies(count, ShardMerge.Cursor.START));
    }
}
