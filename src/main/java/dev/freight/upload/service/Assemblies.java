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
import io.quarkus.logging.Log;

/**
 * The assemblies this instance runs, apart from the requests that started them, and how a complete call waits for
 * one: a bounded time, then it answers {@code completing} while storage goes on assembling; a retried complete
 * answers {@code completing} at once instead of starting another assembly or waiting for this one.
 */
@ApplicationScoped
public class Assemblies {

    private final Duration completeWait;
    private final ConcurrentMap<UUID, CompletableFuture<Upload>> running = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "freight-assembly");
        thread.setDaemon(true);
        return thread;
    });

    public Assemblies(FreightConfig config) {
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
     * A complete of an upload another call is assembling answers at once: the assembly's outcome when this
     * instance ran it and it is done, else the upload as {@code completing} (the client polls the status). Never
     * waits: a retried complete must not hold a worker for another call's assembly.
     */
    Upload outcomeIfDone(Upload completing) {
        CompletableFuture<Upload> local = running.get(completing.fileId());
        if (local == null || !local.isDone() || local.isCompletedExceptionally()) {
            return completing;
        }
        return local.getNow(completing);
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
