package dev.freight.problem;

import java.util.List;
import java.util.Map;

/** S3 or DynamoDB cannot be reached or is throttling: the client should retry later (503 + Retry-After). */
public class StorageUnavailableException extends FreightException {

    /** Seconds a client should wait before retrying. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public StorageUnavailableException(String storage, Throwable cause) {
        super(ProblemType.STORAGE_UNAVAILABLE, storage + " is unavailable; retry later", List.of(), Map.of(), cause);
    }
}
