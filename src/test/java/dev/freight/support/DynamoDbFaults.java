package dev.freight.support;

import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Fault injection on the service's DynamoDB client (test profile, {@code quarkus.dynamodb.interceptors}): the next
 * PutItems are applied by DynamoDB and then their answer is lost, as when a response times out after the write.
 * A record write that counts against the owner's quota is a TransactWriteItems (Put and counter Update): it counts
 * as a PutItem here.
 */
public class DynamoDbFaults implements ExecutionInterceptor {

    private static final AtomicInteger LOSE_PUT_ANSWERS = new AtomicInteger();
    private static final AtomicInteger REFUSE_EVENT_WRITES = new AtomicInteger();

    /** The next {@code count} PutItem requests succeed in storage but fail for the caller. */
    public static void loseNextPutItemAnswers(int count) {
        LOSE_PUT_ANSWERS.set(count);
    }

    /**
     * The next {@code count} transactions that put an event delivery (the outbox) fail before they reach DynamoDB,
     * as a throttled or unreachable DynamoDB fails them: nothing of them is written.
     */
    public static void refuseNextEventWrites(int count) {
        REFUSE_EVENT_WRITES.set(count);
    }

    public static void reset() {
        LOSE_PUT_ANSWERS.set(0);
        REFUSE_EVENT_WRITES.set(0);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest transaction
                && transaction.transactItems().stream().anyMatch(item -> item.put() != null
                        && item.put().item().get("file_id").s().startsWith("event#"))
                && REFUSE_EVENT_WRITES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("Injected: the transaction writing an event was refused (Unable to "
                    + "execute HTTP request: connect timed out)");
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        boolean recordWrite = context.request() instanceof PutItemRequest
                || context.request() instanceof TransactWriteItemsRequest;
        if (recordWrite && LOSE_PUT_ANSWERS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("Injected: the answer to an applied PutItem was lost (read timed out)");
        }
    }
}
