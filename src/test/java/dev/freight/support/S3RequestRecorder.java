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

/**
 * Records every request the service's S3 client sends (the SDK request and the body it marshalled), so tests can
 * check the shape of what reaches storage. Installed in the test profile through {@code quarkus.s3.interceptors}.
 */
public class S3RequestRecorder implements ExecutionInterceptor {

    /** One request as sent: the SDK's request object and the HTTP body (empty when it had none). */
    public record Sent(SdkRequest request, String body) {
    }

    private static final List<Sent> SENT = new CopyOnWriteArrayList<>();

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

    /** Every request sent so far, oldest first. */
    public static List<Sent> all() {
        return List.copyOf(SENT);
    }

    /** The requests of type {@code type} sent so far. */
    public static <T extends SdkRequest> List<Sent> sent(Class<T> type) {
        return SENT.stream().filter(sent -> type.isInstance(sent.request())).toList();
    }
}
