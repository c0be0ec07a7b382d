package dev.freight.client;

/** A snapshot of a transfer's progress, handed to a {@link ProgressListener}. */
public final class Progress {

    private final String fileId;
    private final String name;
    private final Phase phase;
    private final long totalBytes;
    private final long bytesTransferred;
    private final long bytesAcknowledged;
    private final int partsInFlight;
    private final int partsDone;
    private final int partCount;
    private final double bytesPerSecond;

    /** Made by the library (public for its internal package). */
    public Progress(String fileId, String name, Phase phase, long totalBytes, long bytesTransferred, long bytesAcknowledged,
            int partsInFlight, int partsDone, int partCount, double bytesPerSecond) {
        this.fileId = fileId;
        this.name = name;
        this.phase = phase;
        this.totalBytes = totalBytes;
        this.bytesTransferred = bytesTransferred;
        this.bytesAcknowledged = bytesAcknowledged;
        this.partsInFlight = partsInFlight;
        this.partsDone = partsDone;
        this.partCount = partCount;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Null until the service assigned one. */
    public String fileId() {
        return fileId;
    }

    public String name() {
        return name;
    }

    public Phase phase() {
        return phase;
    }

    public long totalBytes() {
        return totalBytes;
    }

    /**
     * Bytes storage holds plus bytes of parts on the wire: grows smoothly; a failed part's bytes are taken back,
     * so it can go down.
     */
    public long bytesTransferred() {
        return bytesTransferred;
    }

    /** Bytes of parts storage acknowledged (answered with an ETag, or held already when resuming). */
    public long bytesAcknowledged() {
        return bytesAcknowledged;
    }

    public int partsInFlight() {
        return partsInFlight;
    }

    public int partsDone() {
        return partsDone;
    }

    public int partCount() {
        return partCount;
    }

    /** Recent rate (last few seconds) of bytes transferred. */
    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Seconds left at the recent rate, or -1 when unknown. */
    public long etaSeconds() {
        if (bytesPerSecond <= 0) {
            return -1;
        }
        return (long) Math.ceil((totalBytes - bytesTransferred) / bytesPerSecond);
    }

    public double fraction() {
        return totalBytes == 0 ? 1 : (double) bytesTransferred / totalBytes;
    }
}
