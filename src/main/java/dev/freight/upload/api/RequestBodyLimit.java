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
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One body limit, {@code quarkus.http.limits.max-body-size} (2 MiB; a complete naming all 10,000 parts with their
 * checksums is about 1.2 MB), for bodies of every kind, each answered with a 413 problem: one that declares a larger
 * {@code Content-Length} here, before anything reads it and before the HTTP layer's own bare 413; one sent without a
 * length (chunked) is read here into memory up to the limit (Vert.x's body handler, whose body Quarkus REST then
 * uses), and refused once it passes it (the HTTP layer's own check of such bodies would end them with a bare 413).
 * Request URIs over {@value #MAX_URI_LENGTH} characters get a 414 problem.
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

    private static final java.util.Set<HttpMethod> HAS_BODY = java.util.Set.of(HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH);

    private final long maxBodyBytes;
    private final String tooLarge;
    private final BodyHandler unsizedBodies;

    RequestBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
        this.tooLarge = new JsonObject().put("type", type.uri()).put("title", type.title())
                .put("status", type.status()).put("detail", "The request body is larger than " + maxBodyBytes
                        + " bytes").encode();
        this.unsizedBodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
    }

    void register(@Observes Filters filters) {
        filters.register(this::refuseOversizedBodies, BEFORE_THE_HTTP_LAYERS_CHECK);
    }

    /** The body handler ends an unsized body over the limit with {@code fail(413)}: answered here as a problem. */
    void register(@Observes Router router) {
        router.route().order(-BEFORE_THE_HTTP_LAYERS_CHECK).failureHandler(context -> {
            if (context.statusCode() == ProblemType.PAYLOAD_TOO_LARGE.status() && !context.response().ended()) {
                answerTooLarge(context);
            } else {
                context.next();
            }
        });
    }

    private void refuseOversizedBodies(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && !declared.isEmpty() && declared.chars().allMatch(Character::isDigit)
                && (declared.length() > 18 || Long.parseLong(declared) > maxBodyBytes)) {
            answerTooLarge(context);
            return;
        }
        // Chunked: only methods with a body matter. (HTTP/2 bodies without a length are left to the HTTP layer, whose
        // request refuses to be paused once read, as Quarkus REST does with a body read before it: a bare 413.)
        if (declared == null && HAS_BODY.contains(context.request().method())
                && context.request().version() != HttpVersion.HTTP_2) {
            unsizedBodies.handle(context);
            return;
        }
        context.next();
    }

    /** The body is not read (or no further): the connection closes after the answer. */
    private void answerTooLarge(RoutingContext context) {
        context.response().setStatusCode(ProblemType.PAYLOAD_TOO_LARGE.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(tooLarge);
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
