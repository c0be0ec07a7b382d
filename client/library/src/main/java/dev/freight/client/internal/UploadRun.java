package dev.freight.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.freight.client.Phase;
import dev.freight.client.Progress;
import dev.freight.client.RemoteUpload;
import dev.freight.client.UploadOptions;
import dev.freight.client.UploadResult;
import dev.freight.client.UploadSource;

/**
 * One upload from start to end, on the caller's thread: start it ({@link UploadStart}) or pick it up
 * ({@link UploadResume}), send the parts storage lacks ({@link PartSender}, on the task's {@link PartRunner}
 * threads), then complete it ({@link UploadCompletion}). The public {@code UploadTask} runs it on a thread.
 */
public final class UploadRun {

    private final ClientContext client;
    private final UploadSource source;
    private final UploadOptions options;
    private final boolean resume;
    private final String resumeFileId;
    private final Cancellation stop;
    private volatile UploadSession session;
    private volatile String knownFileId;

    public UploadRun(ClientContext client, UploadSource source, UploadOptions options, boolean resume,
            String resumeFileId, Cancellation stop) {
        this.client = client;
        this.source = source;
        this.options = options;
        this.resume = resume;
        this.resumeFileId = resumeFileId;
        this.stop = stop;
        this.knownFileId = resumeFileId;
    }

    /** The upload's id once known, else null. */
    public String fileId() {
        UploadSession current = session;
        String id = current == null ? null : current.fileId();
        return id != null ? id : knownFileId;
    }

    /** The latest progress, or null before the source was opened. */
    public Progress progress() {
        UploadSession current = session;
        return current == null ? null : current.tracker.snapshot();
    }

    /** Marks the end in the progress ({@code CANCELLED}, {@code FAILED}, {@code ABORTED}). */
    public void ended(Phase phase) {
        UploadSession current = session;
        if (current != null) {
            current.tracker.phase(phase);
        }
    }

    public UploadResult run() throws IOException {
        long started = System.nanoTime();
        long size = source.size();
        UploadSession current = new UploadSession(client, source, options, stop, size);
        session = current;
        PartSender sender = new PartSender(current);
        UploadResult result;
        if (resume) {
            UploadResume resumer = new UploadResume(current, resumeFileId);
            UploadResume.Point point = resumer.find(size);
            if (point.uploaded()) {
                RemoteUpload remote = point.remote;
                current.tracker.start(remote.fileId(), remote.partCount(), size, remote.partCount());
                result = new UploadResult(remote, 0, 0, elapsed(started), true);
                current.tracker.phase(Phase.DONE);
                return result;
            }
            current.tracker.start(current.fileId(), current.plan().partCount(), point.heldBytes, point.heldParts);
            Set<Integer> toVerify = new HashSet<>(point.toVerify);
            List<Integer> parts = new ArrayList<>(point.toVerify);
            parts.addAll(point.toSend);
            transfer(current, parts, number -> {
                if (toVerify.contains(number)) {
                    resumer.verifyHeldPart(number, sender);
                } else {
                    sender.send(number);
                }
            });
        } else {
            new UploadStart(current).init(size);
            current.tracker.start(current.fileId(), current.plan().partCount(), 0, 0);
            transfer(current, current.plan().allParts(), sender::send);
        }
        current.tracker.phase(Phase.COMPLETING);
        RemoteUpload completed = new UploadCompletion(current).complete(
                wrong -> transfer(current, wrong, sender::send));
        client.stateStore.delete(current.fileId());
        result = new UploadResult(completed, current.partsSent.get(), current.bytesSent.get(), elapsed(started),
                resume);
        current.tracker.phase(Phase.DONE);
        return result;
    }

    private void transfer(UploadSession current, List<Integer> parts, PartRunner.PartWork work) throws IOException {
        current.tracker.phase(Phase.TRANSFERRING);
        PartRunner.runAll(parts, options.parallelism(), work, stop, current.fileId(), "freight-part");
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }
}
