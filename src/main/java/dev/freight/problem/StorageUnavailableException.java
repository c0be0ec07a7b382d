package dev.freight.problem;

import java.util.List;
import java.util.Map;

/** S3 or DynamoDB cannot be reached or is throttling: the client should retry later (503 + Retry-After). */
public class StorageUnavailableException extends FreightException {

    /** Seconds a client should wait before retrying. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final boolean outcomeUnknown;

    public StorageUnavailableException(String storage, Throwable cause) {
        this(storage, cause, false);
    }

    /**
     * @param outcomeUnknown the request may have taken effect (a timeout or lost answer after it was sent, a
     *     server error), as opposed to one storage never received or refused outright
     */
    public StorageUnavailableException(String storage, Throwable cause, boolean outcomeUnknown) {
        super(ProblemType.STORAGE_UNAVAILABLE, storage + " is unavailable; retry later", List.of(), Map.of(), cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** Whether the failed request may have been applied anyway, so its effect must be read back before undoing. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
