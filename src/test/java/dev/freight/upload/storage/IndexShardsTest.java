package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The shard a record's index keys take: stable per file, even over the shards, never shared between owners. */
class IndexShardsTest {

    @Test
    void aFileKeepsItsShardAndFilesSpreadEvenlyOverTheShards() {
        IndexShards shards = new IndexShards(16);
        int[] perShard = new int[16];
        for (int file = 0; file < 32_000; file++) {
            UUID fileId = UUID.randomUUID();
            int shard = shards.shardOf(fileId);
            assertThat(shards.shardOf(UUID.fromString(fileId.toString()))).isEqualTo(shard);
            perShard[shard]++;
        }
        // 2,000 expected per shard; 5 standard deviations (~44 each) either side.
        for (int count : perShard) {
            assertThat(count).isBetween(1_780, 2_220);
        }
    }

    @Test
    void growingTheCountKeepsEveryShardBelowIt() {
        UUID fileId = UUID.fromString("0d9c2d1e-5c7b-4a55-9a43-ffffffffffff");
        assertThat(new IndexShards(1).shardOf(fileId)).isZero();
        for (int count = 1; count <= 64; count++) {
            assertThat(new IndexShards(count).shardOf(fileId)).isBetween(0, count - 1);
        }
        assertThatThrownBy(() -> new IndexShards(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noTwoOwnersOrAuthorsShareAPartition() {
        IndexShards shards = new IndexShards(16);
        Set<String> partitions = new HashSet<>();
        int written = 0;
        // Owners that end in what looks like a shard suffix.
        for (String owner : new String[] {"a", "a#1", "a#12", "a#1#2", "a1", "#", ""}) {
            for (int shard = 0; shard < 16; shard++) {
                partitions.add(shards.ownerPartition(owner, shard));
                written++;
                for (String author : new String[] {"Ada", "Ada ", "ada", "Bob"}) {
                    partitions.add(shards.openPartition(owner, author, shard));
                    written++;
                }
            }
        }
        assertThat(partitions).hasSize(written);
        assertThat(shards.openPartition("alice", "Ada", 3)).isEqualTo(shards.openPartition("alice", "Ada", 3))
                .startsWith("alice\n").endsWith("#3");
        // An author name of 128 characters of 4 bytes each still makes a short key (a partition key: 2,048 bytes).
        assertThat(shards.openPartition("alice", "\uD83D\uDE00".repeat(128), 15)).hasSizeLessThan(40);
    }
}
