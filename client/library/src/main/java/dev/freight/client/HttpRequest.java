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
    private final Object tag;

    public HttpRequest(String method, String url, Map<String, String> headers, Body body) {
        this(method, url, headers, body, null);
    }

    /**
     * @param tag opaque to a transport: the library passes its cancel signal here, which {@link OkHttpTransport}
     *            hooks {@code Call.cancel} onto; a wrapping transport hands it on with the request
     */
    public HttpRequest(String method, String url, Map<String, String> headers, Body body, Object tag) {
        this.method = method;
        this.url = url;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body;
        this.tag = tag;
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

    /** What the library tagged the request with (see the constructor), or null. */
    public Object tag() {
        return tag;
    }
}
