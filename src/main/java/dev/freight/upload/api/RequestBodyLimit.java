package dev.freight.upload.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;

/**
 * Refuses declared bodies over {@value #MAX_BODY_BYTES} bytes with a 413 problem before anything reads them. A
 * complete naming all 10,000 parts with their checksums is about 1.2 MB. The HTTP layer's own, larger limit
 * ({@code quarkus.http.limits.max-body-size}) stops bodies sent without a length.
 */
public class RequestBodyLimit {

    static final long MAX_BODY_BYTES = 2 * 1024 * 1024;

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
