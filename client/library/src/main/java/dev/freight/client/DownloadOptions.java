package dev.freight.client;

/** How one download runs: parts fetched at once, progress listener. */
public final class DownloadOptions {

    private int parallelism = 4;
    private ProgressListener listener = ProgressListener.NONE;
    private long progressIntervalMillis = 250;

    public static DownloadOptions defaults() {
        return new DownloadOptions();
    }

    public DownloadOptions parallelism(int parts) {
        if (parts < 1 || parts > 64) {
            throw new IllegalArgumentException("parallelism must be 1..64");
        }
        this.parallelism = parts;
        return this;
    }

    public DownloadOptions listener(ProgressListener progressListener) {
        this.listener = progressListener == null ? ProgressListener.NONE : progressListener;
        return this;
    }

    public DownloadOptions progressIntervalMillis(long millis) {
        this.progressIntervalMillis = millis;
        return this;
    }

    public int parallelism() {
        return parallelism;
    }

    public ProgressListener listener() {
        return listener;
    }

    public long progressIntervalMillis() {
        return progressIntervalMillis;
    }
}
