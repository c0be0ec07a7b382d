package dev.freight.upload.api;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.freight.problem.FreightException;
import dev.freight.problem.Problem;
import dev.freight.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One body limit, {@code quarkus.http.limits.max-body-size} (2 MiB; a complete naming all 10,000 parts with their
 * checksums is about 1.2 MB), for bodies of every kind: one that declares a larger {@code Content-Length} gets a 413
 * problem here, before anything reads it and before the HTTP layer's own bare 413; one sent chunked is cut off by
 * the HTTP layer once it passes the same limit, and its 413 becomes a problem like every other error
 * ({@code ProblemMapper}). Request URIs over {@value #MAX_URI_LENGTH} characters get a 414 problem.
 */
@Singleton
public class RequestBodyLimit {

    /**
     * Longest request target answered normally. The HTTP layer reads request lines up to
     * {@code quarkus.http.limits.max-initial-line-length} (64 KiB), so longer targets up to that reach this filter
     * and get a 414 problem; only beyond it does Vert.x answer its own bare 414.
     */
    static final int MAX_URI_LENGTH = 8192;

    /** Before Quarkus' own Content-Length check (a route of order -2), which answers a bare 413. */
    private static final int BEFORE_THE_HTTP_LAYERS_CHECK = 100;

    private final long maxBodyBytes;
    private final String tooLarge;

    RequestBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
        this.tooLarge = new JsonObject().put("type", type.uri()).put("title", type.title())
                .put("status", type.status()).put("detail", "The request body is larger than " + maxBodyBytes
                        + " bytes").encode();
    }

    void register(@Observes Filters filters) {
        filters.register(this::refuseOversizedBodies, BEFORE_THE_HTTP_LAYERS_CHECK);
    }

    private void refuseOversizedBodies(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && !declared.isEmpty() && declared.chars().allMatch(Character::isDigit)
                && (declared.length() > 18 || Long.parseLong(declared) > maxBodyBytes)) {
            // The body is not read: the connection closes after the answer.
            context.response().setStatusCode(ProblemType.PAYLOAD_TOO_LARGE.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(tooLarge);
            return;
        }
        context.next();
    }

    /** Reads the raw path and query from Vert.x: the JAX-RS request URI is an absolute URI built per request. */
    @ServerRequestFilter(preMatching = true)
    public void refuseOverlongUris(HttpServerRequest request) {
        String target = request.path();
        String query = request.query();
        if (target.length() + (query == null ? 0 : query.length() + 1) > MAX_URI_LENGTH) {
            throw new FreightException(ProblemType.URI_TOO_LONG,
                    "The request URI is longer than " + MAX_URI_LENGTH + " characters");
        }
    }
}
