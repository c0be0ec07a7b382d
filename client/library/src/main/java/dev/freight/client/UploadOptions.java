package dev.freight.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one upload runs. Memory is bounded by {@code parallelism} x 64 KiB buffers: parts are streamed from the
 * source, never held whole, so {@code partSize} only sets how much a failure costs to resend.
 */
public final class UploadOptions {

    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    /** S3's smallest part (except the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts per upload. */
    public static final int MAX_PARTS = 10_000;

    private long partSize = DEFAULT_PART_SIZE;
    private int parallelism = 4;
    private String authorName;
    private String fileType;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private ProgressListener listener = ProgressListener.NONE;
    private long progressIntervalMillis = 250;
    private long maxBytesPerSecond;

    public static UploadOptions defaults() {
        return new UploadOptions();
    }

    /** The part size to ask for (the service clamps it to S3's and its own bounds). */
    public UploadOptions partSize(long bytes) {
        this.partSize = bytes;
        return this;
    }

    /** Parts sent at once (1..64). */
    public UploadOptions parallelism(int parts) {
        if (parts < 1 || parts > 64) {
            throw new IllegalArgumentException("parallelism must be 1..64");
        }
        this.parallelism = parts;
        return this;
    }

    /** The {@code author_name} the service records; null lets the service take the name from the caller's token. */
    public UploadOptions authorName(String name) {
        this.authorName = name;
        return this;
    }

    public UploadOptions fileType(String mediaType) {
        this.fileType = mediaType;
        return this;
    }

    /** Extra metadata stored with the upload ({@code fingerprint} and {@code last_modified} are set by the library). */
    public UploadOptions metadata(String key, String value) {
        this.metadata.put(key, value);
        return this;
    }

    public UploadOptions listener(ProgressListener progressListener) {
        this.listener = progressListener == null ? ProgressListener.NONE : progressListener;
        return this;
    }

    /** Least time between two progress calls (part events always report). */
    public UploadOptions progressIntervalMillis(long millis) {
        this.progressIntervalMillis = millis;
        return this;
    }

    /** Caps the send rate over all parts (0 = no cap): for metered links, or to leave bandwidth to the app. */
    public UploadOptions maxBytesPerSecond(long bytesPerSecond) {
        this.maxBytesPerSecond = bytesPerSecond;
        return this;
    }

    public long partSize() {
        return partSize;
    }

    public int parallelism() {
        return parallelism;
    }

    public String authorName() {
        return authorName;
    }

    public String fileType() {
        return fileType;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public ProgressListener listener() {
        return listener;
    }

    public long progressIntervalMillis() {
        return progressIntervalMillis;
    }

    public long maxBytesPerSecond() {
        return maxBytesPerSecond;
    }
}
