package dev.freight.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.freight.client.internal.Cancellation;
import dev.freight.client.internal.ClientContext;
import dev.freight.client.internal.UploadRun;

/**
 * One upload running on its own threads: a new one ({@link FreightClient#startUpload}) or a resumed one
 * ({@link FreightClient#startResume}). {@link #cancel()} stops it resumable, {@link #abort()} gives it up,
 * {@link #await()} waits for the result.
 */
public final class UploadTask {

    private final ClientContext client;
    private final Cancellation stop = new Cancellation();
    private final UploadRun run;
    private final CompletableFuture<UploadResult> result = new CompletableFuture<>();
    private volatile boolean cancelled;

    UploadTask(ClientContext client, UploadSource source, UploadOptions options, boolean resume, String resumeFileId) {
        this.client = client;
        this.run = new UploadRun(client, source, options, resume, resumeFileId, stop);
    }

    void start() {
        Thread runner = new Thread(this::runToEnd, "freight-upload");
        runner.setDaemon(true);
        runner.start();
    }

    /** The upload's id once the service gave one (or the resumed one), else null. */
    public String fileId() {
        return run.fileId();
    }

    /** The latest progress (never null once started). */
    public Progress progress() {
        return run.progress();
    }

    /** Stops sending (calls on the wire are cancelled); parts storage holds stay, the state is kept, and
     * {@code resume} continues. */
    public void cancel() {
        cancelled = true;
        stop.cancel();
    }

    /** Stops and gives the upload up: the service deletes its parts, the local state goes. */
    public void abort() throws IOException {
        cancel();
        try {
            result.get();
        } catch (ExecutionException | InterruptedException ended) {
            // Expected: the task ended cancelled (or failed); the upload is aborted below either way.
        }
        String fileId = run.fileId();
        if (fileId != null) {
            client.api.abort(fileId, new Cancellation());
            client.stateStore.delete(fileId);
            run.ended(Phase.ABORTED);
        }
    }

    /** Waits for the end: the result, or the {@link FreightException} that stopped it. */
    public UploadResult await() throws IOException {
        try {
            return result.get();
        } catch (InterruptedException interrupted) {
            cancel();
            Thread.currentThread().interrupt();
            throw new UploadCancelledException(run.fileId());
        } catch (ExecutionException ended) {
            Throwable cause = ended.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new FreightException(cause.toString(), run.fileId(), cause);
        }
    }

    /** True once the upload ended (done, failed or cancelled). */
    public boolean isDone() {
        return result.isDone();
    }

    private void runToEnd() {
        try {
            result.complete(run.run());
        } catch (Throwable stopped) {
            Throwable reported = stopped;
            String fileId = run.fileId();
            if (cancelled && !(stopped instanceof UploadCancelledException)) {
                reported = new UploadCancelledException(fileId);
            }
            if (reported instanceof UploadCancelledException && ((FreightException) reported).fileId() == null
                    && fileId != null) {
                reported = new UploadCancelledException(fileId);
            }
            run.ended(reported instanceof UploadCancelledException ? Phase.CANCELLED : Phase.FAILED);
            result.completeExceptionally(reported);
        }
    }
}
