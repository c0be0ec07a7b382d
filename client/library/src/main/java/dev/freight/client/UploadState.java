package dev.freight.client;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a device keeps to resume an upload after its process was killed: the upload, the source's identity
 * (size, modification time, content fingerprint) and the SHA-256 and ETag of every part sent. Thread-safe.
 * Stored as JSON by {@link FileStateStore}; written through trees, not reflection, so app shrinkers cannot break it.
 */
public final class UploadState {

    private final String fileId;
    private final String server;
    private final String sourceKey;
    private final String filename;
    private final long size;
    private final long lastModified;
    private final String fingerprint;
    private final long partSize;
    private final int partCount;
    private final String startedAt;
    private String uploadToken;
    private final Map<Integer, String> digests = new TreeMap<>();
    private final Map<Integer, String> etags = new TreeMap<>();

    public UploadState(String fileId, String server, String sourceKey, String filename, long size, long lastModified,
            String fingerprint, long partSize, int partCount, String startedAt, String uploadToken) {
        this.fileId = fileId;
        this.server = server;
        this.sourceKey = sourceKey;
        this.filename = filename;
        this.size = size;
        this.lastModified = lastModified;
        this.fingerprint = fingerprint;
        this.partSize = partSize;
        this.partCount = partCount;
        this.startedAt = startedAt;
        this.uploadToken = uploadToken;
    }

    public String fileId() {
        return fileId;
    }

    /** The service's base URL the upload lives on. */
    public String server() {
        return server;
    }

    /** {@link UploadSource#key()} of the source, or null. */
    public String sourceKey() {
        return sourceKey;
    }

    public String filename() {
        return filename;
    }

    public long size() {
        return size;
    }

    public long lastModified() {
        return lastModified;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public long partSize() {
        return partSize;
    }

    public int partCount() {
        return partCount;
    }

    public String startedAt() {
        return startedAt;
    }

    public synchronized String uploadToken() {
        return uploadToken;
    }

    public synchronized void uploadToken(String token) {
        if (token != null) {
            uploadToken = token;
        }
    }

    public synchronized String digest(int partNumber) {
        return digests.get(partNumber);
    }

    public synchronized void digest(int partNumber, String digest) {
        digests.put(partNumber, digest);
    }

    public synchronized String etag(int partNumber) {
        return etags.get(partNumber);
    }

    public synchronized void etag(int partNumber, String etag) {
        if (etag == null) {
            etags.remove(partNumber);
        } else {
            etags.put(partNumber, etag);
        }
    }

    /** Bytes of part {@code partNumber} (the last part is shorter). */
    public long partLength(int partNumber) {
        return Math.min(partSize, size - (partNumber - 1) * partSize);
    }
}
