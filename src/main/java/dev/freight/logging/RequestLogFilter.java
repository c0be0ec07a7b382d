package dev.freight.logging;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * One log line per HTTP request ({@code method path status duration}) tagged with a request id that is also
 * answered in {@value #HEADER} and put into the logging MDC as {@value #MDC_KEY}, so every line a request causes
 * can be found. A sane incoming id (from a load balancer or client) is kept, anything else is replaced.
 * The query string and headers are never logged: presigned URLs and tokens travel there.
 */
@Singleton
public class RequestLogFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    /** Letters, digits and a few separators, at most 64: enough for UUIDs, ULIDs and AWS/Knative trace ids. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Before everything else, so even early failures (404, 415) are logged with an id. */
    private static final int PRIORITY = 1000;
    private static final Pattern CAPABILITY = Pattern.compile("^/companion/c/[^/]+");

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    private void handle(RoutingContext context) {
        long began = System.nanoTime();
        String requestId = requestId(context.request().getHeader(HEADER));
        context.put(MDC_KEY, requestId);
        MDC.put(MDC_KEY, requestId);
        context.response().putHeader(HEADER, requestId);
        String method = context.request().method().name();
        // path() excludes the query string; capped so a hostile path cannot flood the log; a Companion capability
        // in the path is a credential, so it is left out.
        String path = abbreviate(CAPABILITY.matcher(String.valueOf(context.request().path()))
                .replaceFirst("/companion/c/{capability}"));
        context.addEndHandler(ended -> {
            MDC.put(MDC_KEY, requestId);
            Log.infof("%s %s %d %d ms", method, path, context.response().getStatusCode(),
                    (System.nanoTime() - began) / 1_000_000);
        });
        context.next();
    }

    private static String abbreviate(String path) {
        return path == null ? "" : path.length() <= 256 ? path : path.substring(0, 256) + "...";
    }

    static String requestId(String incoming) {
        return incoming != null && SANE_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
