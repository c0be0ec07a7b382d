package dev.freight.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;

/**
 * Records every request the service's S3 client sends (the SDK request and the body it marshalled), so tests can
 * check the shape of what reaches storage, and the multipart uploads it started (their ids, as storage answered). Installed in the test profile through {@code quarkus.s3.interceptors}.
 */
public class S3RequestRecorder implements ExecutionInterceptor {

    /** One request as sent: the SDK's request object and the HTTP body (empty when it had none). */
    public record Sent(SdkRequest request, String body) {
    }

    private static final List<Sent> SENT = new CopyOnWriteArrayList<>();
    private static final List<String> STARTED = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String body = context.requestBody().map(requestBody -> {
            try (InputStream in = requestBody.contentStreamProvider().newStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
        }).orElse("");
        SENT.add(new Sent(context.request(), body));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof CreateMultipartUploadResponse started) {
            STARTED.add(started.uploadId());
        }
    }

    /** The upload ids of every multipart upload the service's S3 client started so far, oldest first. */
    public static List<String> startedUploads() {
        return List.copyOf(STARTED);
    }

    /** Every request sent so far, oldest first. */
    public static List<Sent> all() {
        return List.copyOf(SENT);
    }

    /** The requests of type {@code type} sent so far. */
    public static <T extends SdkRequest> List<Sent> sent(Class<T> type) {
        return SENT.stream().filter(sent -> type.isInstance(sent.request())).toList();
    }
}
