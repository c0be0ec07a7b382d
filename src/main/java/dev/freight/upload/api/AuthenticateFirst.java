package dev.freight.upload.api;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;

/**
 * With authentication on, verifies the bearer token of every API request before anything reads its body: a caller
 * without a valid token gets its small 401 problem at once, whatever it sends (or keeps sending) after the headers.
 * Every JAX-RS resource is under {@code /api} or {@code /companion} (the page, the OpenAPI document and {@code /q/*}
 * are Vert.x routes). Two path rules: Companion routes with a capability in the path skip the bearer token, and the
 * operators' {@code /api/admin/} takes {@link AdminCredential}. A verified identity is kept for the request, so
 * {@link Caller} does not verify
 * again.
 */
public class AuthenticateFirst {

    private final Caller caller;
    private final AdminCredential admin;

    AuthenticateFirst(Caller caller, AdminCredential admin) {
        this.caller = caller;
        this.admin = admin;
    }

    /**
     * Pre-matching filters run before Quarkus REST reads a body for the resource method; a failed Uni ends the
     * request through the exception mappers (401 problem+json).
     */
    @ServerRequestFilter(preMatching = true, priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Void> requireToken(ContainerRequestContext request) {
        if (CompanionResource.carriesCapability(request.getUriInfo().getPath())) {
            // Uppy's Companion mode sends no Authorization header: the capability in the path is the credential.
            return Uni.createFrom().voidItem();
        }
        if (request.getUriInfo().getPath().startsWith(AdminCredential.PATH_PREFIX)) {
            // The operators' endpoints take the admin credential, never a user's token.
            return Uni.createFrom().voidItem().invoke(() -> admin.require(request.getHeaderString("Authorization")));
        }
        return caller.requireAuthenticated();
    }
}
