package dev.freight.dynamodb.limits;

import dev.freight.dynamodb.limits.ThrottledException.ThrottlingReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * AWS's throughput limits as token buckets, divided by {@link Limits#scaleFactor()}:
 * <ul>
 *   <li>per partition key value of a table and of each global secondary index: "Each partition on the table can serve
 *       up to 3,000 read request units or 1,000 write request units, or a linear combination of both"
 *       (https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb) — one bucket in write units, a read
 *       unit costing a third of one; the same limit holds for a GSI's partitions ("IndexWriteKeyRangeThroughputExceeded",
 *       https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/troubleshooting-throttling-diagnostics.html);</li>
 *   <li>per table and per index: the on-demand per-table quota (reads and writes apart), or the capacity a provisioned
 *       table or index was given ({@link #provision}), which keeps up to 300 s of unused capacity.</li>
 * </ul>
 * Index back-pressure: a table write carries one charge per index partition it writes, so a throttled index partition
 * fails the table write ("When a GSI has insufficient write capacity, throttling results in write operations that
 * fail on the base table or any of its GSIs", https://repost.aws/knowledge-center/dynamodb-gsi-throttling-table; the
 * reason names the index: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/gsi-throttling.html).
 *
 * <p>One lock around each {@link #charge}: the check of every bucket and the spending must be one step for the
 * all-or-nothing rule, and the step is a few map look-ups. Full partition buckets are dropped once a second of
 * clock time, so the map holds only keys used within about {@link Limits#burstSeconds()}.
 */
public final class RateLimits implements ThroughputGate {

    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final Limits limits;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> partitions = new HashMap<>();
    private final Map<String, TokenBucket> tables = new HashMap<>();
    /** Provisioned capacity by "table" or "table/index", unscaled as given in CreateTable/UpdateTable. */
    private final Map<String, double[]> provisioned = new ConcurrentHashMap<>();
    private long sweptAtNanos;

    public RateLimits(Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.sweptAtNanos = nanoClock.getAsLong();
    }

    /** With the system's monotonic clock. */
    public RateLimits(Limits limits) {
        this(limits, System::nanoTime);
    }

    /**
     * Marks a table (index null) or index as provisioned with the given capacity (divided by the scale factor like
     * every other rate); {@code null} capacity returns it to on-demand. The engine calls it on CreateTable/UpdateTable.
     */
    @Override
    public void capacity(String table, String index, Double readUnits, Double writeUnits) {
        provision(table, index, readUnits, writeUnits);
    }

    public synchronized void provision(String table, String index, Double readUnits, Double writeUnits) {
        String name = resourceKey(table, index);
        if (readUnits == null || writeUnits == null) {
            provisioned.remove(name);
        } else {
            provisioned.put(name, new double[] {readUnits, writeUnits});
        }
        tables.remove(name + "|r");
        tables.remove(name + "|w");
    }

    /** Forgets a deleted table's buckets and capacity. */
    @Override
    public synchronized void forget(String table) {
        String prefix = table + "/";
        provisioned.keySet().removeIf(name -> name.equals(table) || name.startsWith(prefix));
        tables.keySet().removeIf(name -> name.startsWith(table + "|") || name.startsWith(prefix));
        partitions.keySet().removeIf(name -> name.startsWith(table + "\u0000"));
    }

    @Override
    public void charge(List<Charge> charges) {
        if (charges.isEmpty()) {
            return;
        }
        long now = nanoClock.getAsLong();
        synchronized (this) {
            // Sum by bucket first: two charges on one bucket (a batch on one key) must fit together.
            Map<TokenBucket, Double> costs = new LinkedHashMap<>();
            Map<TokenBucket, ThrottlingReason> reasons = new HashMap<>();
            Map<TokenBucket, List<Integer>> chargedBy = new HashMap<>();
            for (int i = 0; i < charges.size(); i++) {
                Charge charge = charges.get(i);
                for (TokenBucket bucket : addPartitionCost(charge, now, costs, reasons)) {
                    chargedBy.computeIfAbsent(bucket, b -> new ArrayList<>()).add(i);
                }
                for (TokenBucket bucket : addTableCost(charge, now, costs, reasons)) {
                    chargedBy.computeIfAbsent(bucket, b -> new ArrayList<>()).add(i);
                }
            }
            List<ThrottlingReason> refused = new ArrayList<>();
            java.util.SortedSet<Integer> refusedCharges = new java.util.TreeSet<>();
            for (Map.Entry<TokenBucket, Double> cost : costs.entrySet()) {
                if (!cost.getKey().allows(cost.getValue())) {
                    ThrottlingReason reason = reasons.get(cost.getKey());
                    if (!refused.contains(reason)) {
                        refused.add(reason);
                    }
                    refusedCharges.addAll(chargedBy.get(cost.getKey()));
                }
            }
            if (!refused.isEmpty()) {
                throw refusal(charges.get(0).table(), refused, List.copyOf(refusedCharges));
            }
            costs.forEach(TokenBucket::spend);
            sweep(now);
        }
    }

    /** Adds the charge's cost to its partition bucket; returns that bucket. */
    private List<TokenBucket> addPartitionCost(Charge charge, long now, Map<TokenBucket, Double> costs,
                                               Map<TokenBucket, ThrottlingReason> reasons) {
        double writeRate = limits.scaledPartitionWriteUnits();
        // Linear combination of reads and writes: a read unit is worth partitionWrite/partitionRead write units.
        double cost = charge.writeUnits() + charge.readUnits() * writeRate / limits.scaledPartitionReadUnits();
        String key = charge.table() + '\u0000' + (charge.index() == null ? "" : charge.index()) + '\u0000'
                + charge.partitionKey();
        TokenBucket bucket = partitions.get(key);
        if (bucket == null) {
            bucket = new TokenBucket(writeRate, limits.burstSeconds(), limits.burstSeconds(), now);
            partitions.put(key, bucket);
        } else {
            bucket.refill(now);
        }
        costs.merge(bucket, cost, Double::sum);
        reasons.putIfAbsent(bucket, reason(charge, "KeyRangeThroughputExceeded"));
        return List.of(bucket);
    }

    /** Adds the charge's reads and writes to its table's (or index's) buckets; returns the buckets it touched. */
    private List<TokenBucket> addTableCost(Charge charge, long now, Map<TokenBucket, Double> costs,
                                           Map<TokenBucket, ThrottlingReason> reasons) {
        List<TokenBucket> touched = new ArrayList<>(2);
        String name = resourceKey(charge.table(), charge.index());
        double[] capacity = provisioned.get(name);
        String limitType = capacity == null ? "AccountLimitExceeded" : "ProvisionedThroughputExceeded";
        double burst = capacity == null ? limits.burstSeconds() : limits.provisionedBurstSeconds();
        // A new provisioned table has saved nothing yet: it starts with one second and saves up to its burst.
        double initial = Math.min(burst, capacity == null ? limits.burstSeconds() : 1);
        if (charge.readUnits() > 0) {
            double rate = (capacity == null ? limits.tableReadUnits() : capacity[0]) / limits.scaleFactor();
            TokenBucket bucket = tables.computeIfAbsent(name + "|r", k -> new TokenBucket(rate, burst, initial, now));
            bucket.refill(now);
            costs.merge(bucket, charge.readUnits(), Double::sum);
            reasons.putIfAbsent(bucket, reason(charge.table(), charge.index(), "Read", limitType));
            touched.add(bucket);
        }
        if (charge.writeUnits() > 0) {
            double rate = (capacity == null ? limits.tableWriteUnits() : capacity[1]) / limits.scaleFactor();
            TokenBucket bucket = tables.computeIfAbsent(name + "|w", k -> new TokenBucket(rate, burst, initial, now));
            bucket.refill(now);
            costs.merge(bucket, charge.writeUnits(), Double::sum);
            reasons.putIfAbsent(bucket, reason(charge.table(), charge.index(), "Write", limitType));
            touched.add(bucket);
        }
        return touched;
    }

    private ThrottlingReason reason(Charge charge, String limitType) {
        return reason(charge.table(), charge.index(), charge.isWrite() ? "Write" : "Read", limitType);
    }

    private ThrottlingReason reason(String table, String index, String operation, String limitType) {
        String resource = "arn:aws:dynamodb:" + limits.region() + ":" + limits.accountId() + ":table/" + table
                + (index == null ? "" : "/index/" + index);
        return new ThrottlingReason((index == null ? "Table" : "Index") + operation + limitType, resource);
    }

    /** The exception type follows the capacity mode of the request's table; the message, whether an index refused. */
    private ThrottledException refusal(String table, List<ThrottlingReason> refused, List<Integer> refusedCharges) {
        boolean provisionedTable = provisioned.containsKey(table);
        boolean indexRefused = refused.stream().allMatch(reason -> reason.reason().startsWith("Index"));
        if (provisionedTable) {
            return new ThrottledException(ThrottledException.PROVISIONED_THROUGHPUT_EXCEEDED,
                    indexRefused ? ThrottledException.PROVISIONED_INDEX_MESSAGE : ThrottledException.PROVISIONED_TABLE_MESSAGE,
                    refused, refusedCharges);
        }
        return new ThrottledException(ThrottledException.THROTTLING,
                indexRefused ? ThrottledException.ON_DEMAND_INDEX_MESSAGE : ThrottledException.ON_DEMAND_TABLE_MESSAGE,
                refused, refusedCharges);
    }

    private void sweep(long now) {
        if (now - sweptAtNanos < SWEEP_EVERY_NANOS) {
            return;
        }
        sweptAtNanos = now;
        partitions.values().removeIf(bucket -> {
            bucket.refill(now);
            return bucket.isFull();
        });
    }

    private static String resourceKey(String table, String index) {
        return index == null ? table : table + "/" + index;
    }

    /** Partition buckets held now (for tests of the sweep). */
    synchronized int partitionBuckets() {
        return partitions.size();
    }
}
