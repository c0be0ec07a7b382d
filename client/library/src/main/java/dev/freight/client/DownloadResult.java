package dev.freight.client;

import java.io.File;

/** A finished download: where it is, how it was checked, what this run fetched. */
public final class DownloadResult {

    private final String fileId;
    private final File file;
    private final long size;
    private final int partCount;
    private final int partsFetched;
    private final boolean verifiedByParts;
    private final long elapsedMillis;

    /** Made by the library (public for its internal package). */
    public DownloadResult(String fileId, File file, long size, int partCount, int partsFetched, boolean verifiedByParts,
            long elapsedMillis) {
        this.fileId = fileId;
        this.file = file;
        this.size = size;
        this.partCount = partCount;
        this.partsFetched = partsFetched;
        this.verifiedByParts = verifiedByParts;
        this.elapsedMillis = elapsedMillis;
    }

    public String fileId() {
        return fileId;
    }

    public File file() {
        return file;
    }

    public long size() {
        return size;
    }

    public int partCount() {
        return partCount;
    }

    /** Parts fetched by this run (a resumed download skips verified ones). */
    public int partsFetched() {
        return partsFetched;
    }

    /** True when every part was checked against its SHA-256; false when only the size could be (plain uploads). */
    public boolean verifiedByParts() {
        return verifiedByParts;
    }

    public long elapsedMillis() {
        return elapsedMillis;
    }
}
