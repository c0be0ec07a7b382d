package dev.freight.support;

import java.time.Duration;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;

/**
 * Slows the service's CompleteMultipartUpload calls by a test's chosen time, as AWS does when it assembles
 * thousands of parts (minutes, per the S3 API reference). Installed in the test profile through
 * {@code quarkus.s3.interceptors}; off unless a test sets a delay.
 */
public class S3Delays implements ExecutionInterceptor {

    private static volatile Duration completeDelay = Duration.ZERO;

    /** Every complete from now on takes {@code delay} longer; {@link Duration#ZERO} turns it off. */
    public static void delayCompletes(Duration delay) {
        completeDelay = delay;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Duration delay = completeDelay;
        if (context.request() instanceof CompleteMultipartUploadRequest && !delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
