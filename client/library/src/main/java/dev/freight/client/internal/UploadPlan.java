package dev.freight.client.internal;

import java.util.ArrayList;
import java.util.List;

import dev.freight.client.UploadOptions;

/** How a file is cut into parts: the part-size rule the service plans with, and each part's offset and length. */
public final class UploadPlan {

    private static final long MIB = 1024L * 1024;

    private final long fileSize;
    private final long partSize;
    private final int partCount;

    public UploadPlan(long fileSize, long partSize) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("partSize must be positive");
        }
        this.fileSize = fileSize;
        this.partSize = partSize;
        this.partCount = (int) Math.max(1, ceilDiv(fileSize, partSize));
    }

    /** The plan the service will choose for {@code fileSize} from the wish, with its default bounds. */
    public static UploadPlan forFile(long fileSize, long wish) {
        return new UploadPlan(fileSize, partSize(wish, fileSize));
    }

    /** The part size the service will choose for {@code fileSize} from the wish, with its default bounds. */
    public static long partSize(long wish, long fileSize) {
        return partSize(wish, fileSize, UploadOptions.MIN_PART_SIZE, UploadOptions.MAX_PART_SIZE);
    }

    /**
     * The rule the service plans with (its PartPlan; both held to src/test/vectors/part-plans.json): the wish within
     * the bounds and S3's limits; when that needs more than 10,000 parts, the smallest whole number of MiB that fits
     * the file in 10,000 parts. Asked with its own answer the rule gives the same again, so the service cuts the file
     * as asked and the parts hashed before init stay usable.
     */
    public static long partSize(long wish, long fileSize, long minPartSize, long maxPartSize) {
        long lower = Math.max(minPartSize, UploadOptions.MIN_PART_SIZE);
        long upper = Math.min(maxPartSize, UploadOptions.MAX_PART_SIZE);
        long size = Math.min(Math.max(wish, lower), upper);
        if (ceilDiv(fileSize, size) <= UploadOptions.MAX_PARTS) {
            return size;
        }
        return ceilDiv(ceilDiv(fileSize, UploadOptions.MAX_PARTS), MIB) * MIB;
    }

    public long fileSize() {
        return fileSize;
    }

    public long partSize() {
        return partSize;
    }

    public int partCount() {
        return partCount;
    }

    /** First byte of part {@code partNumber} (counted from 1). */
    public long offset(int partNumber) {
        check(partNumber);
        return (partNumber - 1) * partSize;
    }

    /** Bytes of part {@code partNumber}: the part size, the last part the rest (0 for an empty file). */
    public long length(int partNumber) {
        check(partNumber);
        return Math.min(partSize, fileSize - offset(partNumber));
    }

    /** Parts 1..{@code count} (at most all), e.g. those hashed before init. */
    public List<Integer> firstParts(int count) {
        List<Integer> parts = new ArrayList<>();
        for (int part = 1; part <= Math.min(count, partCount); part++) {
            parts.add(part);
        }
        return parts;
    }

    /** Every part, in order. */
    public List<Integer> allParts() {
        return firstParts(partCount);
    }

    private void check(int partNumber) {
        if (partNumber < 1 || partNumber > partCount) {
            throw new IllegalArgumentException("No part " + partNumber + " in a plan of " + partCount);
        }
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
