package dev.freight.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

/** {@link HttpTransport} over OkHttp, the HTTP client Android apps already use. */
public final class OkHttpTransport implements HttpTransport {

    private final OkHttpClient client;

    /** A client with sensible timeouts; one connection pool shared by all parts. */
    public OkHttpTransport() {
        this(new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                .writeTimeout(60, TimeUnit.SECONDS)
                .build());
    }

    /**
     * Uses the app's own client (its interceptors, pinning, proxy). Redirects and OkHttp's own retries are turned
     * off on a derived client, which shares the app's connection pool and dispatcher.
     */
    public OkHttpTransport(OkHttpClient client) {
        okhttp3.Dispatcher dispatcher = client.dispatcher();
        // Parallel parts go to one storage host: lift OkHttp's per-host cap of 5 so parallelism is the caller's.
        if (dispatcher.getMaxRequestsPerHost() < 64) {
            dispatcher.setMaxRequestsPerHost(64);
        }
        this.client = client.newBuilder().followRedirects(false).followSslRedirects(false)
                .retryOnConnectionFailure(false).build();
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
        Response response = client.newCall(builder.build()).execute();
        return new Answer(response);
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

        Answer(Response response) {
            this.response = response;
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
            response.close();
        }
    }
}
