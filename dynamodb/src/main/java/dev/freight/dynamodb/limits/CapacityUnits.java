package dev.freight.dynamodb.limits;

/**
 * Capacity units as DynamoDB counts them ("DynamoDB read and write operations",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
 * <ul>
 *   <li>write: one unit per 1 KB of the item, rounded up; an update costs the larger of the item before and after,
 *       a delete the size of the deleted item; a write of nothing (no item to delete) still one unit;</li>
 *   <li>read: one unit per 4 KB rounded up for a strongly consistent read, half of that for an eventually consistent
 *       one ("Item sizes for reads are rounded up to the next 4 KB multiple");</li>
 *   <li>Query and Scan: the sizes of every item read (before any filter) are summed first and the sum rounded up to
 *       4 KB, per page; BatchGetItem rounds each item on its own first ("DynamoDB first rounds up the size of each item
 *       to the next 4 KB boundary, and then calculates the total size");</li>
 *   <li>transactional: twice the units of the same read or write ("A transactional read request of an item up to 4 KB
 *       requires two read units"; a transactional write of up to 1 KB two write units).</li>
 * </ul>
 * Global secondary index writes (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes):
 * an item entering or leaving the index costs one write of its projected size there, a change of the index key two
 * (a delete of the old entry and a put of the new), a change of projected attributes only one, and an item in the
 * index neither before nor after nothing.
 */
public final class CapacityUnits {

    static final long WRITE_UNIT_BYTES = 1024;
    static final long READ_UNIT_BYTES = 4 * 1024;

    private CapacityUnits() {
    }

    /** Write units of a put or delete of an item of this size (an update: the larger of before and after). */
    public static double write(long itemBytes) {
        return Math.max(1, ceilDiv(itemBytes, WRITE_UNIT_BYTES));
    }

    /** Write units of an update: the larger of the item before and after. */
    public static double update(long bytesBefore, long bytesAfter) {
        return write(Math.max(bytesBefore, bytesAfter));
    }

    /**
     * Read units of a GetItem of an item of this size, or of one Query/Scan page whose read items' sizes sum to
     * {@code bytes}; a read that finds nothing still costs the minimum.
     */
    public static double read(long bytes, boolean consistent) {
        double units = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
        return consistent ? units : units / 2;
    }

    /** Read units of one Query or Scan page: the item sizes summed, then rounded up to 4 KB. */
    public static double page(long[] itemBytes, boolean consistent) {
        long total = 0;
        for (long bytes : itemBytes) {
            total += bytes;
        }
        return read(total, consistent);
    }

    /** Read units of a BatchGetItem: each item rounded up to 4 KB on its own, then summed. */
    public static double batchGet(long[] itemBytes, boolean consistent) {
        double units = 0;
        for (long bytes : itemBytes) {
            units += read(bytes, consistent);
        }
        return units;
    }

    /** A read or write inside TransactWriteItems/TransactGetItems: twice the units. */
    public static double transactional(double units) {
        return 2 * units;
    }

    /**
     * Write units a table write spends on one global secondary index.
     *
     * @param projectedBefore projected size of the item in the index before the write, or -1 if it was not in it
     * @param projectedAfter  projected size after the write, or -1 if it is not in it (sparse index, deleted item)
     * (The caller skips indexes whose projected attributes the write leaves unchanged: those cost nothing.)
     *
     * @param indexKeyChanged whether the index's key values changed (both present)
     */
    public static double indexWrite(long projectedBefore, long projectedAfter, boolean indexKeyChanged) {
        boolean before = projectedBefore >= 0;
        boolean after = projectedAfter >= 0;
        if (!before && !after) {
            return 0;
        }
        if (before && after) {
            return indexKeyChanged ? write(projectedBefore) + write(projectedAfter)
                    : write(Math.max(projectedBefore, projectedAfter));
        }
        return write(before ? projectedBefore : projectedAfter);
    }

    private static long ceilDiv(long bytes, long unit) {
        return bytes <= 0 ? 0 : (bytes + unit - 1) / unit;
    }
}
