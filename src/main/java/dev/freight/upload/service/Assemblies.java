package dev.freight.upload.service;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.upload.model.Upload;
import io.quarkus.logging.Log;

/**
 * The assemblies this instance runs, apart from the requests that started them: a complete call waits a bounded
 * time and answers {@code completing} while storage goes on assembling; a retried complete joins the running one
 * instead of starting another.
 */
@ApplicationScoped
public class Assemblies {

    private final ConcurrentMap<UUID, CompletableFuture<Upload>> running = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "freight-assembly");
        thread.setDaemon(true);
        return thread;
    });

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
