package dev.freight.client.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.freight.client.RemoteUpload;
import dev.freight.client.UploadOptions;
import dev.freight.client.UploadSource;
import dev.freight.client.UploadState;

/**
 * One upload's shared facts while it runs: the source, the options, the resume state and its plan, the progress,
 * the URLs signed ahead and what this run sent. The plan, the part sender, the resume and the completion all work
 * on it.
 */
public final class UploadSession {

    public final ClientContext client;
    public final UploadSource source;
    public final UploadOptions options;
    public final Cancellation stop;
    public final ProgressTracker tracker;
    public final RateLimiter limiter;
    /** URLs that came with init, used once each. */
    final Map<Integer, PartUrl> prefetched = new ConcurrentHashMap<>();
    /** Parts storage held when a resume began (checked against their digest before they are trusted). */
    final Map<Integer, RemoteUpload.Part> heldAtResume = new ConcurrentHashMap<>();
    final AtomicInteger partsSent = new AtomicInteger();
    final AtomicLong bytesSent = new AtomicLong();
    private volatile String fileId;
    private volatile UploadState state;
    private volatile UploadPlan plan;

    public UploadSession(ClientContext client, UploadSource source, UploadOptions options, Cancellation stop,
            long size) {
        this.client = client;
        this.source = source;
        this.options = options;
        this.stop = stop;
        this.tracker = new ProgressTracker(options.listener(), options.progressIntervalMillis(), source.name(), size);
        this.limiter = new RateLimiter(options.maxBytesPerSecond());
    }

    public String fileId() {
        return fileId;
    }

    void fileId(String id) {
        this.fileId = id;
    }

    UploadState state() {
        return state;
    }

    UploadPlan plan() {
        return plan;
    }

    /** The upload's state from now on (its plan follows from its size and part size). */
    void state(UploadState next) {
        this.state = next;
        this.plan = new UploadPlan(next.size(), next.partSize());
        this.fileId = next.fileId();
    }

    /** Writes the state, so a killed process resumes from here. */
    void save() throws IOException {
        client.stateStore.save(state);
    }
}
