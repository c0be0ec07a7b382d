package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.freight.support.MutableClock;

/**
 * The repair of records past their deadline visits every shard of the index once per run, from a shard that moves
 * on from run to run, each shard under its own lease: no shard always comes first, and a second instance takes the
 * shards the first one does not hold.
 */
class DeadlineRepairFairnessTest {

    @Test
    void everyRunVisitsEveryShardOnceFromAMovingStart() {
        assertThat(DeadlineRepair.visitOrder(4, 2)).containsExactly(2, 3, 0, 1);
        assertThat(DeadlineRepair.visitOrder(4, 7)).containsExactly(3, 0, 1, 2);
        assertThat(DeadlineRepair.visitOrder(16, -1)).hasSize(16).doesNotHaveDuplicates().startsWith(15);
    }

    @Test
    void runsStartAtEveryShardInTurn() {
        RecordingRecords records = new RecordingRecords();
        DeadlineRepair repair = repair(records, "instance-1", 1);
        Set<Integer> firstShards = new HashSet<>();
        for (int run = 0; run < 4; run++) {
            records.asked.clear();
            repair.run(newInterval());
            assertThat(records.asked).as("every shard once per run").hasSize(4).doesNotHaveDuplicates();
            firstShards.add(records.asked.get(0));
        }
        assertThat(firstShards).as("the shard visited first moves on").hasSize(4);
    }

    @Test
    void severalWorkersShareTheShardsAndAnotherHolderWaitsForTheNextInterval() {
        RecordingRecords records = new RecordingRecords();
        Instant interval = newInterval();
        repair(records, "instance-1", 3).run(interval);
        assertThat(records.asked).as("every shard once, over three workers").hasSize(4)
                .containsExactlyInAnyOrder(0, 1, 2, 3);
        records.asked.clear();
        repair(records, "instance-2", 3).run(interval);
        assertThat(records.asked).as("within the interval every shard is held by instance-1").isEmpty();
        clock.advance(Duration.ofMinutes(16));
        repair(records, "instance-2", 3).run(clock.instant());
        assertThat(records.asked).hasSize(4);
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));

    /** A run at the start of a new sweep interval: the leases of the last one have run out. */
    private Instant newInterval() {
        clock.advance(Duration.ofMinutes(20));
        return clock.instant();
    }

    private DeadlineRepair repair(RecordingRecords records, String holder, int workers) {
        return new DeadlineRepair(records, records, null, clock, Duration.ofMinutes(15), 10, workers,
                Duration.ofMinutes(15), holder);
    }

    /** In-memory records that remember which deadline shards were read, and in which order. */
    private static final class RecordingRecords extends InMemoryRecords {
        final List<Integer> asked = new CopyOnWriteArrayList<>();

        RecordingRecords() {
            super(100);
        }

        @Override
        public List<UUID> pastDeadline(int shard, Instant now, int limit) {
            asked.add(shard);
            return List.of();
        }
    }
}
