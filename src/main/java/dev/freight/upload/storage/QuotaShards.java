package dev.freight.upload.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntUnaryOperator;

/**
 * How one owner's open-upload quota is spread over several counter items, so that no single item takes every init
 * and every ending of a big owner. One item is two limits at once. AWS on hot partitions: "When partitions receive
 * concentrated traffic that exceeds these limits, they experience throttling ... This throttling can occur even when
 * your table or GSI has sufficient overall capacity"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html);
 * and on transactions, a cancellation reason "Code: TransactionConflict, Message: Transaction is ongoing for the
 * item" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html), so one counter
 * serialises every init and ending of its owner. AWS's answer is write sharding: a suffix on the key spreads one
 * logical key over many items ("Using write sharding to distribute workloads evenly",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html).
 *
 * <p>Each shard holds a share of the owner's caps (the shares add up to the caps exactly) and a take is conditional
 * on its shard's share alone; a refused shard spills to another. A give-back goes to the upload's home shard,
 * whichever shard it took from: a shard's count may then go below zero, which gives it more room, but the shards'
 * sum is always the owner's true count, and since no take ever lifts a shard above its share, the sum never passes
 * the cap. So the cap stays exact across instances, and the shard count may grow at any time. Pure: no storage.
 */
final class QuotaShards {

    /** One shard's counts as last read (or zero when never read). */
    record Counts(long uploads, long bytes) {

        static final Counts ZERO = new Counts(0, 0);

        Counts plus(Counts other) {
            return new Counts(uploads + other.uploads, bytes + other.bytes);
        }
    }

    /** What one take writes to one shard. */
    record Claim(int shard, long uploads, long bytes) {
    }

    /** A counter item's attributes: the owner's open uploads and their bytes counted on this shard. */
    static final String OPEN_UPLOADS = "open_uploads";
    static final String OPEN_BYTES = "open_bytes";
    /** Uploaded files of the owner and their sizes: added by the write that records a file, never taken back. */
    static final String STORED_FILES = "stored_files";
    static final String STORED_BYTES = "stored_bytes";
    /** Keys one BatchGetItem asks for at most (AWS's limit: 100). */
    static final int MAX_BATCH_KEYS = 100;

    /** Counter items share the table; their key cannot be a file id (those are UUIDs). */
    static final String FIRST_SHARD_PREFIX = "quota#";
    /** What every counter item's key begins with (and no other key of the table). */
    static final String COUNTER_KEY_STEM = "quota";
    /** Shards after the first; a prefix of its own, so no owner's name can make one key collide with another. */
    static final String SHARD_PREFIX = "quotas#";

    /**
     * Claims one take may write at most: with the record and its events' deliveries they must stay within one
     * transaction (AWS: "TransactWriteItems is a synchronous write operation that groups up to 100 action requests",
     * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
     */
    static final int MAX_CLAIMS = 32;
    /** Most shards per owner: a read of them all near the cap is at most 41 BatchGetItem calls. */
    static final int MAX_SHARDS = 4096;

    private final int configured;
    private final int count;
    private final long maxUploads;
    private final long maxBytes;

    /** Shards with shares over all {@code count} (tests): no file-size bound, no sums needed. */
    QuotaShards(int count, long maxUploads, long maxBytes) {
        this(count, maxUploads, maxBytes, 0, false);
    }

    /**
     * @param configured  {@code freight.quota.counter-shards}: the most shards an owner's counts are spread over
     * @param largestFile the largest file one take may count (0: no bound), so that its bytes fit in
     *                    {@value #MAX_CLAIMS} shards' shares
     * @param sumsNeeded  whether every init needs the owner's sum (stored-file caps): then one BatchGetItem must read
     *                    every shard, so at most {@value #MAX_BATCH_KEYS}
     */
    QuotaShards(int configured, long maxUploads, long maxBytes, long largestFile, boolean sumsNeeded) {
        if (configured < 1) {
            throw new IllegalArgumentException("at least one quota shard, not " + configured);
        }
        this.configured = configured;
        this.count = activeShards(configured, maxUploads, maxBytes, largestFile, sumsNeeded);
        this.maxUploads = maxUploads;
        this.maxBytes = maxBytes;
    }

    /**
     * How many shards hold a share of the caps: the configured count, but no more than the upload cap (each shard
     * holds at least one upload), no more than lets the largest file's bytes fit in {@value #MAX_CLAIMS} shares, and
     * no more than one BatchGetItem reads when every init needs the sum. An owner with small caps thus has few
     * shards; it cannot start uploads fast for long anyway (at most its cap of them are open at once).
     */
    static int activeShards(int configured, long maxUploads, long maxBytes, long largestFile, boolean sumsNeeded) {
        long active = Math.min(configured, Math.max(1, maxUploads));
        if (largestFile > 0 && maxBytes < Long.MAX_VALUE) {
            long filesPerCap = Math.max(1, maxBytes / Math.max(1, Math.min(largestFile, maxBytes)));
            active = Math.min(active, filesPerCap >= configured ? configured : filesPerCap * MAX_CLAIMS);
        }
        if (sumsNeeded) {
            active = Math.min(active, MAX_BATCH_KEYS);
        }
        return (int) Math.max(1, active);
    }

    static QuotaShards of(dev.freight.config.FreightConfig config) {
        OwnerQuota quota = OwnerQuota.of(config);
        return new QuotaShards(config.quota().counterShards(), quota.maxOpenUploads(), quota.maxOpenBytes(),
                config.upload().maxFileSize(), quota.maxStoredFiles() > 0 || quota.maxStoredBytes() > 0);
    }

    /** Shards that hold a share of the caps ({@link #activeShards}): every take, give-back and read stays in them. */
    int count() {
        return count;
    }

    /** {@code freight.quota.counter-shards}: shards that may hold counts written under other caps (the backfill reads them). */
    int configured() {
        return configured;
    }

    /**
     * The counter item of {@code shard}. Shard 0 keeps the key of the single counter of earlier versions, so a table
     * they wrote keeps its counts (they are one shard of the sum).
     */
    static String key(String owner, int shard) {
        return shard == 0 ? FIRST_SHARD_PREFIX + owner : SHARD_PREFIX + shard + "#" + owner;
    }

    /**
     * The owner a counter item belongs to, from its key; empty for any other key. Both prefixes begin with
     * {@value #FIRST_SHARD_PREFIX}'s "quota", so one {@code begins_with} of {@value #COUNTER_KEY_STEM} finds every counter item.
     */
    static Optional<String> ownerOf(String key) {
        if (key.startsWith(FIRST_SHARD_PREFIX)) {
            return Optional.of(key.substring(FIRST_SHARD_PREFIX.length()));
        }
        if (key.startsWith(SHARD_PREFIX)) {
            int end = key.indexOf('#', SHARD_PREFIX.length());
            return end < 0 ? Optional.empty() : Optional.of(key.substring(end + 1));
        }
        return Optional.empty();
    }

    long uploadShare(int shard) {
        return share(maxUploads, shard);
    }

    long byteShare(int shard) {
        return share(maxBytes, shard);
    }

    /**
     * The cap split as evenly as whole units allow: the first {@code cap % count} shards hold one more; shards past
     * {@link #count()} (written under other caps) hold none.
     */
    private long share(long cap, int shard) {
        return shard >= count ? 0 : cap / count + (shard < cap % count ? 1 : 0);
    }

    /**
     * An upload's home shard, fixed by its file id: where its take is tried first and where it gives its quota back,
     * so without a spill an upload writes one counter item twice, and an owner's starts and endings spread evenly
     * over its shards (file ids are random).
     */
    int homeShard(UUID fileId) {
        return Math.floorMod(fileId.hashCode(), count);
    }

    /** Every shard, from {@code first} on (a full read's order of trying). */
    List<Integer> rotation(int first) {
        List<Integer> order = new ArrayList<>(count);
        for (int step = 0; step < count; step++) {
            order.add((first + step) % count);
        }
        return order;
    }

    /**
     * Up to {@value #MAX_BATCH_KEYS} distinct shards drawn at random (one BatchGetItem), in the order drawn; every
     * shard when there are no more than that. {@code randomBelow} answers a number in {@code [0, bound)}.
     */
    List<Integer> sample(IntUnaryOperator randomBelow) {
        if (count <= MAX_BATCH_KEYS) {
            return rotation(randomBelow.applyAsInt(count));
        }
        // Floyd's selection of MAX_BATCH_KEYS distinct numbers below count.
        LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
        for (int top = count - MAX_BATCH_KEYS; top < count; top++) {
            int drawn = randomBelow.applyAsInt(top + 1);
            chosen.add(chosen.contains(drawn) ? top : drawn);
        }
        List<Integer> order = new ArrayList<>(chosen);
        Collections.shuffle(order, new Random(randomBelow.applyAsInt(Integer.MAX_VALUE)));
        return order;
    }

    /**
     * The shard init's quick check reads, from a random draw (the check gets no file id, so not the home shard the
     * take starts on): among the shards whose share holds an upload at all (with a cap below the shard count, only
     * the first {@code cap} do).
     */
    int firstShard(int randomDraw) {
        int withRoom = (int) Math.min(count, Math.max(1, maxUploads));
        return Math.floorMod(randomDraw, withRoom);
    }

    /**
     * Where {@code size} more bytes of an upload already counted fit, from shard {@code first} on (no upload count):
     * empty when the shards known have no room for them all.
     */
    Optional<List<Claim>> planBytes(Map<Integer, Counts> known, long size, int first) {
        return planBytes(known, size, rotation(first));
    }

    /** The same among {@code candidates} only (the shards read), in their order. */
    Optional<List<Claim>> planBytes(Map<Integer, Counts> known, long size, List<Integer> candidates) {
        List<Claim> claims = new ArrayList<>();
        long bytesLeft = size;
        for (int shard : candidates) {
            if (bytesLeft <= 0 || claims.size() >= MAX_CLAIMS) {
                break;
            }
            long bytes = Math.min(bytesLeft, Math.max(0, byteRoom(known, shard)));
            if (bytes > 0) {
                claims.add(new Claim(shard, 0, bytes));
                bytesLeft -= bytes;
            }
        }
        return bytesLeft > 0 ? Optional.empty() : Optional.of(List.copyOf(claims));
    }

    /**
     * The claim for one upload of {@code size} bytes given the shards' counts as known ({@code known}; a shard
     * missing counts as zero), trying shards from {@code first} on: one shard with room for the upload and its
     * bytes when there is one; else the upload on the first shard with room for it and its bytes spread over the
     * shards with byte room (a file larger than one shard's byte share); empty when the known counts leave no room.
     */
    Optional<List<Claim>> plan(Map<Integer, Counts> known, long size, int first) {
        return plan(known, size, rotation(first));
    }

    /**
     * The same among {@code candidates} only (the shards read, or all of them in a full read), in their order; at
     * most {@value #MAX_CLAIMS} claims.
     */
    Optional<List<Claim>> plan(Map<Integer, Counts> known, long size, List<Integer> candidates) {
        for (int shard : candidates) {
            if (uploadRoom(known, shard) >= 1 && byteRoom(known, shard) >= size) {
                return Optional.of(List.of(new Claim(shard, 1, size)));
            }
        }
        List<Claim> claims = new ArrayList<>();
        long bytesLeft = size;
        boolean counted = false;
        for (int shard : candidates) {
            if ((counted && bytesLeft <= 0) || claims.size() >= MAX_CLAIMS) {
                break;
            }
            long uploads = !counted && uploadRoom(known, shard) >= 1 ? 1 : 0;
            long bytes = Math.min(bytesLeft, Math.max(0, byteRoom(known, shard)));
            if (uploads + bytes > 0) {
                claims.add(new Claim(shard, uploads, bytes));
                counted |= uploads == 1;
                bytesLeft -= bytes;
            }
        }
        if (!counted || bytesLeft > 0) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(claims));
    }

    /** Whether {@code shard}, holding {@code counts}, has room for one upload of {@code size} bytes. */
    boolean fits(int shard, Counts counts, long size) {
        return uploadShare(shard) - counts.uploads() >= 1 && byteShare(shard) - counts.bytes() >= size;
    }

    private long uploadRoom(Map<Integer, Counts> known, int shard) {
        return uploadShare(shard) - known.getOrDefault(shard, Counts.ZERO).uploads();
    }

    private long byteRoom(Map<Integer, Counts> known, int shard) {
        return byteShare(shard) - known.getOrDefault(shard, Counts.ZERO).bytes();
    }

    /** The owner's counts: the sum over the shards known. */
    static Counts sum(Map<Integer, Counts> known) {
        return known.values().stream().reduce(Counts.ZERO, Counts::plus);
    }
}
