package dev.freight.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.freight.client.RetryPolicy;
import dev.freight.client.ServiceException;
import dev.freight.client.ServiceUnavailableException;
import dev.freight.client.StorageException;
import dev.freight.client.UploadCancelledException;

/**
 * The one decision and the one loop (the shared vectors check the decision's table in SharedVectorsTest): each
 * class of failure gets its remedy and its limit, waits are slept, and a 429/503 pauses the whole client.
 */
class RetryLoopTest {

    private final PartScheduler scheduler = new PartScheduler(4);
    private final RetryLoop loop = new RetryLoop(new RetryPolicy(4, 1, 2), scheduler);
    private final Cancellation cancel = new Cancellation();
    private final List<RetryDecision.Action> remedies = new ArrayList<>();
    private final RetryLoop.Remedy record = (action, failure, tally) -> remedies.add(action);

    private static Failure storage(int status, String code) {
        return Failure.answer(Failure.Target.STORAGE, status, code, null, status + " " + code,
                new StorageException("refused: " + code, status, code, 1, "f-1"));
    }

    /** An attempt that fails with {@code failures} in turn, then answers "done". */
    private static RetryLoop.Attempt<String> failing(AtomicInteger tries, Failure... failures) {
        return previous -> {
            int index = tries.getAndIncrement();
            if (index < failures.length) {
                throw failures[index];
            }
            return "done";
        };
    }

    @Test
    void noAnswerAndServerErrorsAreTriedAgainUpToThePolicysAttempts() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        Failure reset = Failure.noAnswer(Failure.Target.STORAGE, "Connection reset", new SocketException("reset"));
        assertThat(loop.run("Part 1", "f-1", cancel, failing(tries, reset, storage(500, "InternalError"),
                storage(400, "RequestTimeout")), record)).isEqualTo("done");
        assertThat(tries.get()).isEqualTo(4);
        assertThat(remedies).containsExactly(RetryDecision.Action.RETRY, RetryDecision.Action.RETRY,
                RetryDecision.Action.RETRY);

        AtomicInteger spent = new AtomicInteger();
        assertThatThrownBy(() -> loop.run("Part 2", "f-1", cancel, failing(spent, reset, reset, reset, reset, reset),
                RetryLoop.Remedy.NONE)).isInstanceOf(ServiceUnavailableException.class)
                .hasMessage("Part 2 failed 4 times; last: Connection reset")
                .satisfies(failure -> assertThat(((ServiceUnavailableException) failure).resumable()).isTrue());
        assertThat(spent.get()).isEqualTo(4);
    }

    @Test
    void aThrottledAnswerPausesEveryTransferOfTheClientForItsRetryAfter() throws Exception {
        Failure slowDown = Failure.answer(Failure.Target.SERVICE, 503, null, "1", "503 unavailable", null);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger tries = new AtomicInteger();
            long started = System.nanoTime();
            Future<Long> otherPart = other.submit(() -> {
                while (scheduler.pauses() == 0) {
                    Thread.sleep(1);
                }
                try (PartScheduler.Slot slot = scheduler.acquire(new Cancellation(), "f-2")) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            });
            assertThat(loop.run("GET /api/upload/f-1", "f-1", cancel, failing(tries, slowDown), record))
                    .isEqualTo("done");
            assertThat(remedies).containsExactly(RetryDecision.Action.THROTTLE);
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(950L);
            // Another task's part, which heard nothing, waited out the same second.
            assertThat(otherPart.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(950L);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void refusedUrlsAreSignedAgainThreeTimesThenTheFailureIsFinal() {
        AtomicInteger tries = new AtomicInteger();
        Failure expired = storage(403, "AccessDenied");
        assertThatThrownBy(() -> loop.run("Part 3", "f-1", cancel,
                failing(tries, expired, expired, expired, expired, expired), record))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessage("Part 3: 403 AccessDenied, also with 3 freshly signed URLs");
        assertThat(tries.get()).isEqualTo(4);
        assertThat(remedies).containsOnly(RetryDecision.Action.RESIGN).hasSize(3);
    }

    @Test
    void refusedBytesAreReadAgainOnceThenStoragesWordsAreFinal() {
        AtomicInteger tries = new AtomicInteger();
        Failure badDigest = storage(400, "BadDigest");
        assertThatThrownBy(() -> loop.run("Part 4", "f-1", cancel, failing(tries, badDigest, badDigest), record))
                .isInstanceOf(StorageException.class).hasMessage("refused: BadDigest");
        assertThat(tries.get()).isEqualTo(2);
        assertThat(remedies).containsExactly(RetryDecision.Action.REHASH);
    }

    @Test
    void aRefusedTokenIsAskedForOnceAndOtherRefusalsAreFinalAtOnce() {
        AtomicInteger tries = new AtomicInteger();
        Failure unauthorized = Failure.answer(Failure.Target.SERVICE, 401, null, null, "401",
                new ServiceException(401, null, "Unauthorized", "token expired", null, "f-1"));
        assertThatThrownBy(() -> loop.run("POST /api/upload/complete", "f-1", cancel,
                failing(tries, unauthorized, unauthorized), record)).isInstanceOf(ServiceException.class)
                .hasMessageContaining("token expired");
        assertThat(remedies).containsExactly(RetryDecision.Action.REAUTHORIZE);

        AtomicInteger once = new AtomicInteger();
        assertThatThrownBy(() -> loop.run("Part 5", "f-1", cancel, failing(once, storage(400, "EntityTooSmall")),
                record)).isInstanceOf(StorageException.class).hasMessage("refused: EntityTooSmall");
        assertThat(once.get()).isEqualTo(1);
    }

    @Test
    void aCancelEndsTheWaitAndNoFurtherTryIsMade() throws Exception {
        RetryLoop patient = new RetryLoop(new RetryPolicy(8, 60_000, 60_000), scheduler);
        AtomicInteger tries = new AtomicInteger();
        Failure reset = Failure.noAnswer(Failure.Target.SERVICE, "reset", new SocketException("reset"));
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<String> run = waiter.submit(() -> patient.run("Part 6", "f-1", cancel, failing(tries, reset),
                    RetryLoop.Remedy.NONE));
            while (tries.get() == 0) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            cancel.cancel();
            assertThatThrownBy(() -> run.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(UploadCancelledException.class);
            assertThat(tries.get()).isEqualTo(1);
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void anAmbiguousFailureIsOneTheNextTryIsToldAbout() throws IOException {
        List<Boolean> toldAmbiguous = new ArrayList<>();
        AtomicInteger tries = new AtomicInteger();
        loop.run("Part 7", "f-1", cancel, previous -> {
            toldAmbiguous.add(previous != null && previous.ambiguous());
            if (tries.getAndIncrement() == 0) {
                throw Failure.noAnswer(Failure.Target.STORAGE, "timeout", new java.net.SocketTimeoutException());
            }
            if (tries.get() == 2) {
                throw storage(500, "InternalError");
            }
            return null;
        }, RetryLoop.Remedy.NONE);
        // After no answer the part sender asks storage first; after an answer it need not.
        assertThat(toldAmbiguous).containsExactly(false, true, false);
    }
}
