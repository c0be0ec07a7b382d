package dev.freight.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.freight.problem.StorageUnavailableException;

/**
 * A hung storage endpoint answers DOWN within the timeout and never piles up checking threads; a throttling one stays
 * UP.
 */
class BoundedProbeTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    @Test
    void hungCheckIsDownWithinTheTimeoutAndRunsOnce() {
        AtomicInteger started = new AtomicInteger();
        BoundedProbe probe = new BoundedProbe("hung", () -> {
            started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, executor);

        for (int attempt = 0; attempt < 5; attempt++) {
            long began = System.nanoTime();
            HealthCheckResponse answer = probe.probe(Duration.ofMillis(100), "bucket", "b");
            assertThat((System.nanoTime() - began) / 1_000_000).isLessThan(1_000);
            assertThat(answer.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(answer.getData().orElseThrow()).containsEntry("error", "no answer within 100 ms");
        }
        assertThat(started).hasValue(1);
    }

    @Test
    void startRunsTheCheckUnaskedAndAProbeMeanwhileJoinsIt() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        BoundedProbe probe = new BoundedProbe("warm", () -> {
            calls.incrementAndGet();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, executor);

        probe.start();
        running.await();
        HealthCheckResponse during = probe.probe(Duration.ofMillis(100), "bucket", "b");
        assertThat(during.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(calls).hasValue(1);
        release.countDown();
        assertThat(probe.probe(Duration.ofSeconds(10), "bucket", "b").getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void recoversOnceTheCheckAnswers() {
        AtomicInteger calls = new AtomicInteger();
        BoundedProbe probe = new BoundedProbe("flaky", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("S3 is unavailable; retry later");
            }
        }, executor);

        HealthCheckResponse down = probe.probe(Duration.ofSeconds(1), "bucket", "b");
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getName()).isEqualTo("flaky");
        assertThat((String) down.getData().orElseThrow().get("error")).startsWith("S3 is unavailable");
        HealthCheckResponse up = probe.probe(Duration.ofSeconds(1), "bucket", "b");
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(up.getData().orElseThrow()).containsEntry("bucket", "b");
    }

    @Test
    void storageRefusingForItsLoadIsUpAndSaysThrottledWhileUnreachableIsDown() {
        BoundedProbe throttled = new BoundedProbe("throttled", () -> {
            throw new StorageUnavailableException("DynamoDB", new RuntimeException("ThrottlingException"), false, true);
        }, executor);
        HealthCheckResponse up = throttled.probe(Duration.ofSeconds(2), "table", "t");
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(up.getData().orElseThrow()).containsEntry("throttled", true);

        BoundedProbe unreachable = new BoundedProbe("unreachable", () -> {
            throw new StorageUnavailableException("DynamoDB", new RuntimeException("Connection refused"), false,
                    false);
        }, executor);
        HealthCheckResponse down = unreachable.probe(Duration.ofSeconds(2), "table", "t");
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow()).doesNotContainKey("throttled");
    }
}
