package dev.freight.problem;

import java.util.List;
import java.util.Map;

/** S3 or DynamoDB cannot be reached or is throttling: the client should retry later (503 + Retry-After). */
public class StorageUnavailableException extends FreightException {

    private final boolean outcomeUnknown;
    private final boolean refusedForLoad;

    public StorageUnavailableException(String storage, Throwable cause) {
        this(storage, cause, false);
    }

    public StorageUnavailableException(String storage, Throwable cause, boolean outcomeUnknown) {
        this(storage, cause, outcomeUnknown, false);
    }

    /**
     * @param outcomeUnknown the request may have taken effect (a timeout or lost answer after it was sent, a
     *     server error), as opposed to one storage never received or refused outright
     * @param refusedForLoad storage answered but refused for its load (throttling, a conflicting transaction): it is
     *     reachable, and this instance is not at fault
     */
    public StorageUnavailableException(String storage, Throwable cause, boolean outcomeUnknown,
            boolean refusedForLoad) {
        super(ProblemType.STORAGE_UNAVAILABLE, storage + " is unavailable; retry later", List.of(), Map.of(), cause);
        this.outcomeUnknown = outcomeUnknown;
        this.refusedForLoad = refusedForLoad;
    }

    /** Whether storage answered and refused for its load (throttled, conflict): reachable, and not failing. */
    public boolean refusedForLoad() {
        return refusedForLoad;
    }

    /** Whether the failed request may have been applied anyway, so its effect must be read back before undoing. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
