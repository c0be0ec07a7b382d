package dev.freight.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.freight.problem.StorageUnavailableException;

/**
 * Runs one storage check with a bounded wait, so a hung endpoint cannot hang the probe. While a check is still
 * running, later probes wait on that same check instead of starting another: a dead endpoint ties up at most one
 * thread per check, however often the orchestrator probes. A check refused for storage's load (throttling) stays UP
 * with {@code throttled: true} in its data: only a storage this instance cannot reach turns it DOWN.
 */
final class BoundedProbe {

    private final String name;
    private final Runnable check;
    private final Executor executor;
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

    BoundedProbe(String name, Runnable check, Executor executor) {
        this.name = name;
        this.check = check;
        this.executor = executor;
    }

    HealthCheckResponse probe(Duration timeout, String resourceKey, String resourceName) {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named(name).withData(resourceKey, resourceName);
        long began = System.nanoTime();
        try {
            current().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answer.up().withData("duration_ms", elapsedMillis(began)).build();
        } catch (TimeoutException slow) {
            return answer.down().withData("error", "no answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof StorageUnavailableException refused && refused.refusedForLoad()) {
                // Storage answered: it is throttling the whole table, not this instance. DOWN on every instance at
                // once would leave the load balancer no target: an outage of our own making.
                return answer.up().withData("throttled", true).withData("duration_ms", elapsedMillis(began))
                        .build();
            }
            return answer.down().withData("error", describe(failed.getCause())).build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return answer.down().withData("error", "interrupted").build();
        }
    }

    /**
     * Starts a check without waiting for it (the start-up warm-up): a probe arriving while it runs waits on this same
     * check; one arriving after it ended runs a fresh one.
     */
    void start() {
        current();
    }

    private CompletableFuture<Void> current() {
        while (true) {
            CompletableFuture<Void> running = inFlight.get();
            if (running != null && !running.isDone()) {
                return running;
            }
            CompletableFuture<Void> next = new CompletableFuture<>();
            if (inFlight.compareAndSet(running, next)) {
                executor.execute(() -> {
                    try {
                        check.run();
                        next.complete(null);
                    } catch (Throwable failure) {
                        next.completeExceptionally(failure);
                    }
                });
                return next;
            }
        }
    }

    /** The failure's kind and message, never a stack trace; storage messages carry no request data. */
    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return failure.getMessage() + " (" + cause.getClass().getSimpleName() + ")";
    }

    private static long elapsedMillis(long began) {
        return (System.nanoTime() - began) / 1_000_000;
    }
}
