package dev.freight.upload.failure;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Why an S3 or DynamoDB call failed. The one classification of storage failures: it decides whether the client is
 * told to retry later (503) and it is the {@code cause} tag of the storage error metric.
 */
public enum FailureCause {
    THROTTLED, CONFLICT, UNREACHABLE, NOT_FOUND, ACCESS_DENIED, SERVER_ERROR, REJECTED;

    /**
     * Error codes of refusals for load, besides those the SDK already calls throttling: "RequestLimitExceeded:
     * Throughput exceeds the current throughput limit for your account" and "ProvisionedThroughputExceededException"
     * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
     */
    private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException",
            "ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown");

    /** The metric tag. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a later retry may succeed: storage was unreachable, throttling, busy with a concurrent transaction on
     * the same item, or failing on its side.
     */
    public boolean retryLater() {
        return this == THROTTLED || this == CONFLICT || this == UNREACHABLE || this == SERVER_ERROR;
    }

    /** Whether storage answered but refused for its load (throttled, conflict): not a fault of this instance. */
    public boolean refusedForLoad() {
        return this == THROTTLED || this == CONFLICT;
    }

    public static FailureCause of(SdkException failure) {
        if (failure instanceof SdkClientException) {
            return UNREACHABLE;
        }
        if (failure instanceof TransactionCanceledException canceled) {
            return ofCancellation(canceled);
        }
        if (failure instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? ""
                    : String.valueOf(service.awsErrorDetails().errorCode());
            if (service.isThrottlingException() || THROTTLING_CODES.contains(code)) {
                return THROTTLED;
            }
            if (code.equals("TransactionConflictException")) {
                return CONFLICT;
            }
            // DynamoDB answers 400 for a missing table or a denied action: its error code tells them apart.
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

    /**
     * A cancelled transaction, by its reasons. AWS lists them: "Code: TransactionConflict, Message: Transaction is
     * ongoing for the item", "Code: ProvisionedThroughputExceeded", "Code: ThrottlingError, Messages: Throughput
     * exceeds the current capacity of your table or index" (TransactionCanceledException,
     * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html). Throttling wins
     * over a conflict: a throttled key stays throttled however soon the call is repeated.
     */
    private static FailureCause ofCancellation(TransactionCanceledException canceled) {
        List<String> codes = canceled.hasCancellationReasons()
                ? canceled.cancellationReasons().stream().map(reason -> String.valueOf(reason.code())).toList()
                : List.of();
        if (codes.contains("ThrottlingError") || codes.contains("ProvisionedThroughputExceeded")) {
            return THROTTLED;
        }
        if (codes.contains("TransactionConflict")) {
            return CONFLICT;
        }
        return REJECTED;
    }
}
