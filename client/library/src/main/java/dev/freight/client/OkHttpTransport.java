package dev.freight.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import okhttp3.Authenticator;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

import dev.freight.client.internal.Cancellation;

/**
 * {@link HttpTransport} over OkHttp, the HTTP client Android apps already use. The app's client is left as it came:
 * this transport works on a client derived with {@code newBuilder()} (same pool, dispatcher and interceptors), and
 * the library bounds its own concurrency (its part scheduler), so the app's dispatcher limits stay the app's.
 */
public final class OkHttpTransport implements HttpTransport {

    private final OkHttpClient client;
    private final boolean answersAuthChallenges;

    /** A client with sensible timeouts; one connection pool shared by all parts. */
    public OkHttpTransport() {
        this(defaultClient(), null);
    }

    /**
     * Uses the app's own client (its interceptors, pinning, proxy). Redirects and OkHttp's own retries are turned
     * off on a derived client; the app's client itself is not changed.
     */
    public OkHttpTransport(OkHttpClient client) {
        this(client, null);
    }

    /** With {@code authenticator} answering the service's 401s (OkHttp's own re-ask; see {@link FreightClient}). */
    OkHttpTransport(OkHttpClient client, Authenticator authenticator) {
        OkHttpClient.Builder derived = client.newBuilder().followRedirects(false).followSslRedirects(false)
                .retryOnConnectionFailure(false);
        if (authenticator != null) {
            derived.authenticator(authenticator);
        }
        this.client = derived.build();
        this.answersAuthChallenges = authenticator != null;
    }

    static OkHttpClient defaultClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                .writeTimeout(60, TimeUnit.SECONDS)
                .build();
    }

    /** True when a 401 reaching the caller means the token supplier was asked again already. */
    boolean answersAuthChallenges() {
        return answersAuthChallenges;
    }

    @Override
    public HttpResponse execute(HttpRequest request) throws IOException {
        Request.Builder builder = new Request.Builder().url(request.url());
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String name = header.getKey();
            // OkHttp writes these itself from the body; a second copy would break a signed request.
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("host")) {
                continue;
            }
            builder.header(name, header.getValue());
        }
        RequestBody body = request.body() == null ? null : new BodyAdapter(request.body());
        if (body == null && (request.method().equals("POST") || request.method().equals("PUT"))) {
            body = RequestBody.create(new byte[0], null);
        }
        builder.method(request.method(), body);
        Call call = client.newCall(builder.build());
        // A cancel aborts the call where it stands (sending, waiting for the answer or reading it): Call.cancel.
        Cancellation cancel = request.tag() instanceof Cancellation ? (Cancellation) request.tag() : null;
        Runnable unhook = cancel == null ? () -> { } : cancel.onCancel(call::cancel);
        try {
            return new Answer(call.execute(), unhook);
        } catch (IOException | RuntimeException failed) {
            unhook.run();
            throw failed;
        }
    }

    private static final class BodyAdapter extends RequestBody {
        private final HttpRequest.Body body;

        BodyAdapter(HttpRequest.Body body) {
            this.body = body;
        }

        @Override
        public MediaType contentType() {
            return body.contentType() == null ? null : MediaType.parse(body.contentType());
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            body.writeTo(sink.outputStream());
        }
    }

    private static final class Answer implements HttpResponse {
        private final Response response;
        private final Runnable unhook;

        Answer(Response response, Runnable unhook) {
            this.response = response;
            this.unhook = unhook;
        }

        @Override
        public int status() {
            return response.code();
        }

        @Override
        public String header(String name) {
            return response.header(name);
        }

        @Override
        public InputStream body() {
            ResponseBody body = response.body();
            return body == null ? new java.io.ByteArrayInputStream(new byte[0]) : body.byteStream();
        }

        @Override
        public void close() {
            unhook.run();
            response.close();
        }
    }
}
