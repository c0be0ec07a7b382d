package dev.freight.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Records every request the service's DynamoDB client sends, so tests can count what a call cost in reads and
 * writes. Installed in the test profile through {@code quarkus.dynamodb.interceptors}.
 */
public class DynamoDbRequestRecorder implements ExecutionInterceptor {

    private static final List<SdkRequest> SENT = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SENT.add(context.request());
    }

    /** Every request sent so far, oldest first. */
    public static List<SdkRequest> sent() {
        return List.copyOf(SENT);
    }
}
