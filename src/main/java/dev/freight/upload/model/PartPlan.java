package dev.freight.upload.model;

/**
 * How a file is split into parts, by S3's multipart rules.
 *
 * @param partSize size of every part but the last
 * @param partCount number of parts (at least one)
 */
public record PartPlan(long fileSize, long partSize, int partCount) {

    /** S3: every part but the last is at least 5 MiB. */
    public static final long S3_MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3: a part is at most 5 GiB. */
    public static final long S3_MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3: a multipart upload has at most 10,000 parts. */
    public static final int S3_MAX_PARTS = 10_000;
    /** S3: an object is at most 5 TiB. */
    public static final long S3_MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

    private static final long MIB = 1024 * 1024;

    /**
     * Picks the part size: the client's wish (or the default) clamped to the configured bounds, grown to a whole
     * number of MiB when the file would otherwise need more than 10,000 parts.
     */
    public static PartPlan of(long fileSize, long wishedPartSize, long minPartSize, long maxPartSize) {
        long lower = Math.max(minPartSize, S3_MIN_PART_SIZE);
        long upper = Math.min(maxPartSize, S3_MAX_PART_SIZE);
        long partSize = Math.min(Math.max(wishedPartSize, lower), upper);
        if (ceilDiv(fileSize, partSize) > S3_MAX_PARTS) {
            partSize = ceilDiv(ceilDiv(fileSize, S3_MAX_PARTS), MIB) * MIB;
        }
        int partCount = (int) Math.max(1, ceilDiv(fileSize, partSize));
        return new PartPlan(fileSize, partSize, partCount);
    }

    /** Exact size of part {@code partNumber} (1-based): the last one holds the remainder. */
    public long sizeOf(int partNumber) {
        return partNumber < partCount ? partSize : fileSize - (long) (partCount - 1) * partSize;
    }

    public boolean contains(int partNumber) {
        return partNumber >= 1 && partNumber <= partCount;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
