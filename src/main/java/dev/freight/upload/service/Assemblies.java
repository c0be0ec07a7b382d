package dev.freight.upload.service;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.storage.UploadRecords;
import io.quarkus.logging.Log;

/**
 * The assemblies this instance runs, apart from the requests that started them, and how a complete call waits for
 * one: a bounded time, then it answers {@code completing} while storage goes on assembling; a retried complete
 * joins the running assembly (here, or on another instance through the record) instead of starting another.
 */
@ApplicationScoped
public class Assemblies {

    /** How often a complete joining another instance's assembly reads the record. */
    private static final long JOIN_POLL_MILLIS = 200;

    private final UploadRecords records;
    private final Duration completeWait;
    private final ConcurrentMap<UUID, CompletableFuture<Upload>> running = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "freight-assembly");
        thread.setDaemon(true);
        return thread;
    });

    public Assemblies(UploadRecords records, FreightConfig config) {
        this.records = records;
        this.completeWait = config.upload().completeWait();
    }

    /** Runs {@code assembly} for the upload unless one runs here already; answers the running one's result. */
    CompletableFuture<Upload> start(UUID fileId, Callable<Upload> assembly) {
        CompletableFuture<Upload> result = new CompletableFuture<>();
        CompletableFuture<Upload> earlier = running.putIfAbsent(fileId, result);
        if (earlier != null) {
            return earlier;
        }
        executor.execute(() -> {
            try {
                result.complete(assembly.call());
            } catch (Throwable failed) {
                result.completeExceptionally(failed);
            } finally {
                running.remove(fileId, result);
            }
        });
        return result;
    }

    /** The assembly's outcome when it comes within the configured wait, else the upload as {@code completing}. */
    Upload await(CompletableFuture<Upload> assembly, Upload completing) {
        try {
            return assembly.get(completeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            return completing;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return completing;
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(failed.getCause());
        }
    }

    /**
     * A complete of an upload another call is assembling waits for that assembly as long as it would wait for its
     * own: on this instance for its outcome, on another by reading the record until it is no longer
     * {@code completing}.
     */
    Upload join(Upload completing) {
        Optional<CompletableFuture<Upload>> local = running(completing.fileId());
        if (local.isPresent()) {
            return await(local.get(), completing);
        }
        long deadline = System.nanoTime() + completeWait.toNanos();
        Upload current = completing;
        while (current.status() == UploadStatus.COMPLETING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(JOIN_POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return current;
            }
            current = records.find(completing.fileId()).orElseThrow(UploadService::notFound);
        }
        if (current.status() == UploadStatus.UPLOADING) {
            throw UploadService.notAssembled();
        }
        return current;
    }

    /** The assembly of the upload this instance runs now, if any. */
    Optional<CompletableFuture<Upload>> running(UUID fileId) {
        return Optional.ofNullable(running.get(fileId));
    }

    /** On shutdown, running assemblies get a moment to record their file; the rest is repaired later. */
    @PreDestroy
    void stop() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                Log.warnf("%d assembly(ies) still running at shutdown; the next status or complete repairs them",
                        running.size());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
