package dev.freight.dynamodb.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import dev.freight.dynamodb.limits.ItemHolds;
import dev.freight.dynamodb.limits.ThroughputGate;

/**
 * How an {@link Engine} runs: where it keeps its data (null: in memory), how often it deletes expired items, and the
 * throughput gate and item holds that impose AWS's limits (defaults: unlimited, none).
 */
public record EngineOptions(Path dataDir, Duration ttlSweepInterval, ThroughputGate throughputGate,
        ItemHolds itemHolds, LongSupplier epochSeconds, int snapshotEvery) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path dataDir;
        private Duration ttlSweepInterval = Duration.ofSeconds(10);
        private ThroughputGate throughputGate = ThroughputGate.unlimited();
        private ItemHolds itemHolds = ItemHolds.none();
        private LongSupplier epochSeconds = () -> System.currentTimeMillis() / 1000;
        private int snapshotEvery = 50_000;

        /** Keep tables in this directory so they survive a restart; null (the default) keeps them in memory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** How often expired items (TTL) are looked for and deleted; never before their time. */
        public Builder ttlSweepInterval(Duration interval) {
            this.ttlSweepInterval = interval;
            return this;
        }

        public Builder throughputGate(ThroughputGate gate) {
            this.throughputGate = gate;
            return this;
        }

        public Builder itemHolds(ItemHolds holds) {
            this.itemHolds = holds;
            return this;
        }

        /** The clock TTL expiry compares against (tests move it). */
        public Builder epochSeconds(LongSupplier clock) {
            this.epochSeconds = clock;
            return this;
        }

        /** Journal entries after which the data directory's journal is folded into a snapshot. */
        public Builder snapshotEvery(int entries) {
            this.snapshotEvery = entries;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(dataDir, ttlSweepInterval, throughputGate, itemHolds, epochSeconds, snapshotEvery);
        }
    }
}
