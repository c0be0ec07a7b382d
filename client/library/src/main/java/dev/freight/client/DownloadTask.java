package dev.freight.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.freight.client.internal.Cancellation;
import dev.freight.client.internal.Downloader;

/** One download on its own threads; {@link #cancel()} leaves verified parts for the next run. */
public final class DownloadTask {

    private final Downloader downloader;
    private final Cancellation stop;
    private final CompletableFuture<DownloadResult> result = new CompletableFuture<>();

    DownloadTask(Downloader downloader) {
        this.downloader = downloader;
        this.stop = downloader.cancellation();
    }

    void start() {
        Thread runner = new Thread(() -> {
            try {
                result.complete(downloader.run());
            } catch (Throwable stopped) {
                result.completeExceptionally(stopped);
            }
        }, "freight-download");
        runner.setDaemon(true);
        runner.start();
    }

    public void cancel() {
        stop.cancel();
    }

    public DownloadResult await() throws IOException {
        try {
            return result.get();
        } catch (InterruptedException interrupted) {
            cancel();
            Thread.currentThread().interrupt();
            throw new UploadCancelledException(null);
        } catch (ExecutionException ended) {
            Throwable cause = ended.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new FreightException(cause.toString(), null, cause);
        }
    }
}
