package dev.freight.upload.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import io.quarkus.runtime.Startup;

/**
 * The operators' credential for {@code /api/admin/...}: a bearer secret of its own
 * ({@code freight.webhooks.admin-token}), apart from the users' JWTs, so that no user token, whatever its claims,
 * reaches the dead letters of every owner. Without it configured, those endpoints do not exist (404).
 */
@ApplicationScoped
@Startup
public class AdminCredential {

    /** Requests under this path are the operators' (checked here, not as a user's bearer token). */
    public static final String PATH_PREFIX = "/api/admin/";
    static final int MIN_LENGTH = 32;

    private final Optional<byte[]> expected;

    AdminCredential(FreightConfig config) {
        Optional<String> token = config.webhooks().adminToken().filter(value -> !value.isBlank());
        if (token.isPresent() && token.get().length() < MIN_LENGTH) {
            throw new IllegalStateException("Invalid configuration: freight.webhooks.admin-token must be at least "
                    + MIN_LENGTH + " characters (e.g. `openssl rand -base64 32`)");
        }
        this.expected = token.map(value -> ("Bearer " + value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws FreightException 404 when no admin token is configured, 401 when {@code authorization} is not
     *     {@code Bearer <admin token>}
     */
    void require(String authorization) {
        if (expected.isEmpty()) {
            throw new FreightException(ProblemType.NOT_FOUND, "No such endpoint");
        }
        byte[] given = authorization == null ? new byte[0] : authorization.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected.get(), given)) {
            throw new FreightException(ProblemType.UNAUTHORIZED, "The admin bearer token is required");
        }
    }
}
