package dev.freight.client;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request: method, absolute URL, headers (sent exactly as given) and an optional body. */
public final class HttpRequest {

    /** A body that can be written more than once (a transport may send it again after a broken connection). */
    public interface Body {
        /** Exact number of bytes {@link #writeTo} writes. */
        long contentLength();

        /** Media type for the {@code Content-Type} header, or null to send none. */
        String contentType();

        void writeTo(OutputStream out) throws IOException;
    }

    private final String method;
    private final String url;
    private final Map<String, String> headers;
    private final Body body;

    public HttpRequest(String method, String url, Map<String, String> headers, Body body) {
        this.method = method;
        this.url = url;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body;
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Null for requests without a body. */
    public Body body() {
        return body;
    }
}
