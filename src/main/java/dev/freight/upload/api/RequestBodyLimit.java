package dev.freight.upload.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import io.vertx.core.http.HttpServerRequest;

/**
 * Refuses declared bodies over {@value #MAX_BODY_BYTES} bytes with a 413 problem before anything reads them, and
 * request URIs over {@value #MAX_URI_LENGTH} characters with a 414 problem. A complete naming all 10,000 parts with
 * their checksums is about 1.2 MB. The HTTP layer's own, larger limit
 * ({@code quarkus.http.limits.max-body-size}) stops bodies sent without a length.
 */
public class RequestBodyLimit {

    static final long MAX_BODY_BYTES = 2 * 1024 * 1024;

    /**
     * Longest request target answered normally. The HTTP layer reads request lines up to
     * {@code quarkus.http.limits.max-initial-line-length} (64 KiB), so longer targets up to that reach this filter
     * and get a 414 problem; only beyond it does Vert.x answer its own bare 414.
     */
    static final int MAX_URI_LENGTH = 8192;

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

    @ServerRequestFilter(preMatching = true)
    public void refuseOversizedBodies(ContainerRequestContext request) {
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() > 0
                && (declared.length() > 18 || Long.parseLong(declared) > MAX_BODY_BYTES)) {
            throw new FreightException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
    }
}
