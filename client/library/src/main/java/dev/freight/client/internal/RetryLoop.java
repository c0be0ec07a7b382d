package dev.freight.client.internal;

import java.io.IOException;

import dev.freight.client.FreightException;
import dev.freight.client.RetryPolicy;
import dev.freight.client.ServiceUnavailableException;
import dev.freight.client.UploadCancelledException;

/**
 * The one loop every request runs in (service calls, part PUTs, ranged GETs), the page's {@code retrying}: try; on
 * a {@link Failure} ask {@link RetryDecision#next}; final decisions throw, remedies are handed to the caller
 * ({@link Remedy}: sign again, hash again, ask for a token), waits are slept here, and a 429/503 pauses every
 * transfer of the client through the shared {@link PartScheduler}, not only the one that heard it.
 */
public final class RetryLoop {

    /** One try; {@code previous} is the failure before it (null on the first). */
    public interface Attempt<T> {
        T run(Failure previous) throws IOException;
    }

    /** Does what a decision asks before the next try (drop a URL, read the part again, ...). */
    public interface Remedy {
        Remedy NONE = (action, failure, tally) -> { };

        void apply(RetryDecision.Action action, Failure failure, RetryDecision.Tally tally) throws IOException;
    }

    private final RetryPolicy policy;
    private final PartScheduler scheduler;

    public RetryLoop(RetryPolicy policy, PartScheduler scheduler) {
        this.policy = policy;
        this.scheduler = scheduler;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code attempt} until it returns, a decision is final (its {@link Failure#whenFinal()}, or a
     * {@link ServiceUnavailableException} once the tries are spent), or {@code cancel} stops it. {@code what} names
     * the request in messages ("Part 3").
     */
    public <T> T run(String what, String fileId, Cancellation cancel, Attempt<T> attempt, Remedy remedy)
            throws IOException {
        RetryDecision.Tally tally = new RetryDecision.Tally();
        Failure previous = null;
        for (;;) {
            checkCancelled(cancel, fileId);
            scheduler.awaitClear(cancel, fileId);
            try {
                return attempt.run(previous);
            } catch (Failure failure) {
                checkCancelled(cancel, fileId);
                RetryDecision.Next next = RetryDecision.next(failure, tally, policy);
                if (next.action == RetryDecision.Action.FAIL) {
                    throw finalError(what, fileId, failure, tally);
                }
                tally.count(next.action);
                remedy.apply(next.action, failure, tally);
                if (next.action == RetryDecision.Action.THROTTLE) {
                    scheduler.pauseFor(next.waitMillis);
                } else if (next.waitMillis > 0 && !cancel.sleep(next.waitMillis)) {
                    throw new UploadCancelledException(fileId);
                }
                previous = failure;
            }
        }
    }

    private static FreightException finalError(String what, String fileId, Failure failure,
            RetryDecision.Tally tally) {
        RetryDecision.Action action = failure.ambiguous() ? RetryDecision.Action.RETRY
                : failure.target() == Failure.Target.SERVICE ? RetryDecision.forService(failure.status())
                : RetryDecision.forStorage(failure.status(), failure.code());
        if (action == RetryDecision.Action.RESIGN && tally.resigns > 0) {
            return new ServiceUnavailableException(what + ": " + failure.getMessage() + ", also with " + tally.resigns
                    + " freshly signed URLs", fileId, failure);
        }
        if (action != RetryDecision.Action.RETRY && action != RetryDecision.Action.THROTTLE
                && failure.whenFinal() != null) {
            return failure.whenFinal();
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return new ServiceUnavailableException(what + " failed " + (tally.retries + 1) + " times; last: "
                + failure.getMessage(), fileId, cause);
    }

    public static void checkCancelled(Cancellation cancel, String fileId) throws UploadCancelledException {
        if (cancel.cancelled()) {
            throw new UploadCancelledException(fileId);
        }
    }
}
