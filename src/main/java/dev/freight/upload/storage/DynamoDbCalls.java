package dev.freight.upload.storage;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.problem.StorageUnavailableException;
import dev.freight.upload.failure.FailureCause;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * How this package calls DynamoDB: the client and the table, SDK failures translated into what the client is
 * answered, and transactions retried while they only conflict with another one.
 */
@ApplicationScoped
public class DynamoDbCalls {

    static final String STORAGE = "DynamoDB";
    private static final int TRANSACTION_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final StorageFailures failures;

    DynamoDbCalls(DynamoDbClient dynamoDb, FreightConfig config, StorageFailures failures) {
        this.dynamoDb = dynamoDb;
        this.table = config.storage().table();
        this.failures = failures;
    }

    DynamoDbClient client() {
        return dynamoDb;
    }

    String table() {
        return table;
    }

    /** Runs one call; a lost condition comes back as the SDK's exception, any other failure as a problem. */
    <T> T call(Supplier<T> dynamoDbCall) {
        try {
            return dynamoDbCall.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException conditionFailed) {
            // A lost condition is an answer, not an outage: the callers turn it into their own exception.
            throw conditionFailed;
        } catch (SdkException failure) {
            throw failures.translate(STORAGE, failure);
        }
    }

    FreightException translate(SdkException failure) {
        return failures.translate(STORAGE, failure);
    }

    /**
     * Runs a transaction; null when it committed, else the cancellation reasons when a condition failed. Conflicts
     * with a concurrent transaction on the same item are retried after a short random wait; throttling is not.
     */
    List<CancellationReason> transact(List<TransactWriteItem> items) {
        for (int attempt = 1;; attempt++) {
            try {
                call(() -> dynamoDb.transactWriteItems(write -> write.transactItems(items)));
                return null;
            } catch (TransactionCanceledException canceled) {
                List<CancellationReason> reasons = canceled.cancellationReasons();
                boolean conditionFailed = reasons.stream()
                        .anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()));
                if (conditionFailed) {
                    return reasons;
                }
                if (attempt >= TRANSACTION_ATTEMPTS || FailureCause.of(canceled) != FailureCause.CONFLICT) {
                    // Throttled (an immediate repeat is throttled too) or still conflicting: retry later (503).
                    throw failures.unavailable(STORAGE, canceled);
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + (5L << Math.min(attempt, 6))));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException(STORAGE, interrupted);
        }
    }

    static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    static Map<String, AttributeValue> key(UUID fileId) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(fileId.toString()));
    }
}
