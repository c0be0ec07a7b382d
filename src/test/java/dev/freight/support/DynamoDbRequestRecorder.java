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
    private static final List<SdkRequest> ON_EVENT_LOOP = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SENT.add(context.request());
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            ON_EVENT_LOOP.add(context.request());
        }
    }

    /** The requests sent from a Vert.x event-loop thread (a blocking call there stalls every connection it serves). */
    public static List<SdkRequest> sentOnEventLoop() {
        return List.copyOf(ON_EVENT_LOOP);
    }

    /** Every request sent so far, oldest first. */
    public static List<SdkRequest> sent() {
        return List.copyOf(SENT);
    }
}
