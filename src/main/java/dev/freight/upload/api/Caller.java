package dev.freight.upload.api;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.api.validation.SafeText;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Who is calling: the owner every upload operation is scoped to. With authentication on it is the verified
 * token's subject (authentication runs lazily here, so a bad token ends as a 401 problem); with it off, everyone
 * is {@value #ANONYMOUS}. One instance serves every request: the identity association it reads is the request's
 * own, and creating a request-scoped bean per call was measurable on the per-part path.
 */
@Singleton
public class Caller {

    static final String ANONYMOUS = "anonymous";
    /** As for a body's {@code author_name}. */
    static final int MAX_NAME_LENGTH = 128;
    private static final Uni<Void> KNOWN = Uni.createFrom().voidItem();

    private final boolean authEnabled;
    private final CurrentIdentityAssociation identities;

    Caller(FreightConfig config, CurrentIdentityAssociation identities) {
        this.authEnabled = config.auth().enabled();
        this.identities = identities;
    }

    public String owner() {
        return authEnabled ? token().getSubject() : ANONYMOUS;
    }

    /**
     * The caller's display name (the token's {@code name} claim), the default {@code author_name}: held to the rules
     * of a body's {@code author_name} (at most {@value #MAX_NAME_LENGTH} characters, well-formed text without
     * control or invisible formatting characters). Asked for only where a request names no author; a claim that
     * breaks a rule is refused there (400), never stored or used as a filter, and the client can name the author
     * itself.
     */
    public Optional<String> name() {
        if (!authEnabled) {
            return Optional.empty();
        }
        Object name = token().getClaim("name");
        String text = name instanceof JsonString json ? json.getString() : name == null ? null : name.toString();
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String problem = SafeText.problemWith(text, MAX_NAME_LENGTH, false);
        if (problem != null) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The token's name claim " + problem
                    + ", so it cannot be the author_name; send author_name",
                    List.of(new FieldError("author_name", "must be given: the token's name claim " + problem)));
        }
        return Optional.of(text);
    }

    /**
     * {@link #owner()} without blocking, for endpoints that run on the event loop: lazy authentication's
     * {@code getIdentity()} would block the thread until the token is verified.
     */
    public Uni<String> ownerWhenAuthenticated() {
        return authEnabled ? identities.getDeferredIdentity().map(identity -> tokenOf(identity).getSubject())
                : Uni.createFrom().item(ANONYMOUS);
    }

    /**
     * Completes once the caller is known (at once with authentication off); fails with the 401 problem when the
     * request has no valid token. {@link AuthenticateFirst} runs it before any body is read.
     */
    public Uni<Void> requireAuthenticated() {
        return authEnabled ? identities.getDeferredIdentity().invoke(Caller::tokenOf).replaceWithVoid() : KNOWN;
    }

    private JsonWebToken token() {
        return tokenOf(identities.getIdentity());
    }

    private static JsonWebToken tokenOf(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token.getSubject() == null || token.getSubject().isBlank()) {
            throw new FreightException(ProblemType.UNAUTHORIZED, "A valid bearer token is required");
        }
        return token;
    }
}
