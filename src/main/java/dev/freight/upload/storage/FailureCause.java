package dev.freight.upload.storage;

import java.util.Locale;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Why an S3 or DynamoDB call failed. The one classification of storage failures: it decides whether the client is
 * told to retry later (503) and it is the {@code cause} tag of the storage error metric.
 */
public enum FailureCause {
    THROTTLED, UNREACHABLE, NOT_FOUND, ACCESS_DENIED, SERVER_ERROR, REJECTED;

    /** The metric tag. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a later retry may succeed: storage was unreachable, throttling or failing on its side. */
    public boolean retryLater() {
        return this == THROTTLED || this == UNREACHABLE || this == SERVER_ERROR;
    }

    public static FailureCause of(SdkException failure) {
        if (failure instanceof SdkClientException) {
            return UNREACHABLE;
        }
        if (failure instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return THROTTLED;
            }
            // DynamoDB answers 400 for a missing table or a denied action: its error code tells them apart.
            String code = service.awsErrorDetails() == null ? "" : String.valueOf(service.awsErrorDetails().errorCode());
            int status = service.statusCode();
            if (status == 404 || code.startsWith("NoSuch") || code.equals("ResourceNotFoundException")) {
                return NOT_FOUND;
            }
            if (status == 403 || code.startsWith("AccessDenied")) {
                return ACCESS_DENIED;
            }
            if (status >= 500) {
                return SERVER_ERROR;
            }
            return REJECTED;
        }
        return failure.retryable() ? UNREACHABLE : REJECTED;
    }
}
