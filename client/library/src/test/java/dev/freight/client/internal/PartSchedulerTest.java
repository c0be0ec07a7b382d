package dev.freight.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.freight.client.UploadCancelledException;

/** The client-wide gate: the bound on connections and the pause every transfer shares. */
class PartSchedulerTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void neverMoreThanTheBoundOnTheWireWhateverTheNumberOfTasks() throws Exception {
        PartScheduler scheduler = new PartScheduler(3);
        AtomicInteger onTheWire = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Future<?>> parts = new ArrayList<>();
        // Four "tasks" of five parts each, all at once.
        for (int i = 0; i < 20; i++) {
            Cancellation task = new Cancellation();
            parts.add(threads.submit(() -> {
                try (PartScheduler.Slot slot = scheduler.acquire(task, null)) {
                    peak.accumulateAndGet(onTheWire.incrementAndGet(), Math::max);
                    Thread.sleep(10);
                    onTheWire.decrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> part : parts) {
            part.get(10, TimeUnit.SECONDS);
        }
        assertThat(peak.get()).isEqualTo(3);
        assertThat(scheduler.peak()).isEqualTo(3);
        assertThat(scheduler.inUse()).isZero();
    }

    @Test
    void aPauseOneTransferHeardHoldsEveryOtherOneBack() throws Exception {
        PartScheduler scheduler = new PartScheduler(4);
        scheduler.pauseFor(400);
        long asked = System.nanoTime();
        Future<Long> otherTask = threads.submit(() -> {
            try (PartScheduler.Slot slot = scheduler.acquire(new Cancellation(), null)) {
                return (System.nanoTime() - asked) / 1_000_000;
            }
        });
        Future<Long> serviceCall = threads.submit(() -> {
            scheduler.awaitClear(new Cancellation(), null);
            return (System.nanoTime() - asked) / 1_000_000;
        });
        assertThat(otherTask.get(5, TimeUnit.SECONDS)).isBetween(350L, 3_000L);
        assertThat(serviceCall.get(5, TimeUnit.SECONDS)).isBetween(350L, 3_000L);
        assertThat(scheduler.pauses()).isEqualTo(1);

        // A shorter pause does not cut a longer one short.
        scheduler.pauseFor(300);
        scheduler.pauseFor(10);
        long again = System.nanoTime();
        scheduler.awaitClear(new Cancellation(), null);
        assertThat((System.nanoTime() - again) / 1_000_000).isGreaterThanOrEqualTo(250L);
    }

    @Test
    void aCancelledTaskStopsWaitingAndAFreedSlotIsFreedOnce() throws Exception {
        PartScheduler scheduler = new PartScheduler(1);
        PartScheduler.Slot held = scheduler.acquire(new Cancellation(), null);
        Cancellation task = new Cancellation();
        CountDownLatch waiting = new CountDownLatch(1);
        Future<?> waiter = threads.submit(() -> {
            waiting.countDown();
            scheduler.acquire(task, "f-1");
            return null;
        });
        waiting.await();
        Thread.sleep(100);
        task.cancel();
        assertThatThrownBy(() -> waiter.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(UploadCancelledException.class);
        held.close();
        held.close();
        assertThat(scheduler.inUse()).isZero();
        try (PartScheduler.Slot next = scheduler.acquire(new Cancellation(), null)) {
            assertThat(scheduler.inUse()).isEqualTo(1);
        }
    }
}
