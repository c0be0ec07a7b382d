package dev.freight.client;

import java.io.IOException;

/**
 * The one HTTP call the library makes, so an app can route Freight's traffic through its own client (its
 * OkHttpClient with its interceptors, certificate pinning, proxies). {@link OkHttpTransport} is the default.
 * Implementations must not follow redirects and must not retry on their own; the library retries.
 */
public interface HttpTransport {

    /** Sends {@code request}; the caller closes the answer. An {@link IOException} means no HTTP answer arrived. */
    HttpResponse execute(HttpRequest request) throws IOException;
}
