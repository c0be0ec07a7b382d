package dev.freight.upload.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

import dev.freight.upload.model.Base64Url;

/**
 * Which partition of the owner index and of the open-uploads index a record is written to: the owner's key with a
 * shard suffix taken from the file id, so one owner's writes land on {@code count} index partitions instead of one.
 * AWS: "each partition on the table can serve up to 3,000 read request units or 1,000 write request units"
 * (https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb), and for a hot partition key its write
 * sharding pattern: "add a random number to the end of the partition key values ... spread across multiple
 * partitions" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html).
 * A listing reads every shard and merges them ({@link ShardMerge}).
 *
 * @param count shards per owner; may grow (a record stays where it was written until it is written again, always in
 *              a shard below the new count) but never shrink (records in the dropped shards would not be listed)
 */
record IndexShards(int count) {

    /** Joins the owner and the shard; the suffix after the last one is digits only, so no two owners meet. */
    private static final char SHARD_SEPARATOR = '#';
    /** Joins owner and author in the open index; author names hold no control characters (InitRules). */
    private static final char AUTHOR_SEPARATOR = '\n';

    IndexShards {
        if (count < 1) {
            throw new IllegalArgumentException("freight.storage.owner-index-shards must be at least 1, was " + count);
        }
    }

    static IndexShards of(dev.freight.config.FreightConfig config) {
        return new IndexShards(config.storage().ownerIndexShards());
    }

    /** The shard of a file: stable for its id, spread evenly (the id's random low bits). */
    int shardOf(UUID fileId) {
        return (int) Long.remainderUnsigned(fileId.getLeastSignificantBits(), count);
    }

    /** The owner-index partition of {@code owner}'s shard {@code shard}. */
    String ownerPartition(String owner, int shard) {
        return owner + SHARD_SEPARATOR + shard;
    }

    /**
     * The open-index partition of {@code owner}'s open uploads by {@code authorName} in shard {@code shard}: the
     * author is part of the key so that the page's resume listing (one author's open uploads) reads nothing else.
     * The author enters as a digest, so the key stays short whatever the name (a partition key holds at most 2,048
     * bytes); the listing still filters on the name itself.
     */
    String openPartition(String owner, String authorName, int shard) {
        return owner + AUTHOR_SEPARATOR + authorDigest(authorName) + SHARD_SEPARATOR + shard;
    }

    private static String authorDigest(String authorName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(authorName.getBytes(StandardCharsets.UTF_8));
            // 96 bits: a collision only costs reading another author's open uploads, which the filter then drops.
            return Base64Url.encode(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
