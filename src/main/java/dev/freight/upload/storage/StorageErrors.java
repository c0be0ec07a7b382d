package dev.freight.upload.storage;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.problem.StorageUnavailableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Translates an AWS SDK failure into what the client is told: retry later (503) or a real bug (500). */
final class StorageErrors {

    private StorageErrors() {
    }

    static FreightException translate(String storage, SdkException failure) {
        dev.freight.metrics.UploadMetrics.recordStorageError(storage, failure);
        if (isTransient(failure)) {
            return new StorageUnavailableException(storage, failure, outcomeUnknown(failure));
        }
        return new FreightException(ProblemType.INTERNAL_ERROR, storage + " rejected a request",
                java.util.List.of(), java.util.Map.of(), failure);
    }

    /**
     * Whether a failed request may have been applied: not when the connection was never made or storage refused it
     * (throttling), but after a timeout, a dropped connection or a server error.
     */
    static boolean outcomeUnknown(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            return !service.isThrottlingException() && service.statusCode() >= 500;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException) {
                return false;
            }
        }
        return true;
    }

    /** Unreachable endpoints, timeouts, throttling and server-side errors are worth retrying later. */
    static boolean isTransient(SdkException failure) {
        if (failure instanceof SdkClientException) {
            return true;
        }
        if (failure instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return failure.retryable();
    }
}
