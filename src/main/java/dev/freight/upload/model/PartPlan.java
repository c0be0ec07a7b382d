package dev.freight.upload.model;

/**
 * How a file is split into parts, by S3's multipart rules ({@link S3Limits}).
 *
 * @param partSize size of every part but the last
 * @param partCount number of parts (at least one)
 */
public record PartPlan(long fileSize, long partSize, int partCount) {

    private static final long MIB = 1024 * 1024;

    /**
     * Picks the part size: the client's wish (or the default) clamped to the configured bounds, grown to a whole
     * number of MiB when the file would otherwise need more than 10,000 parts.
     */
    public static PartPlan of(long fileSize, long wishedPartSize, long minPartSize, long maxPartSize) {
        long lower = Math.max(minPartSize, S3Limits.MIN_PART_SIZE);
        long upper = Math.min(maxPartSize, S3Limits.MAX_PART_SIZE);
        long partSize = Math.min(Math.max(wishedPartSize, lower), upper);
        if (ceilDiv(fileSize, partSize) > S3Limits.MAX_PARTS) {
            partSize = ceilDiv(ceilDiv(fileSize, S3Limits.MAX_PARTS), MIB) * MIB;
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
