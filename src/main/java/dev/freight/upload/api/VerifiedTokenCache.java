package dev.freight.upload.api;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.crypto.SecretKey;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import jakarta.json.JsonNumber;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.freight.config.FreightConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The bearer-token parser smallrye-jwt authenticates with, remembering the tokens it verified: a client sends the
 * same token on every call (one per part of an upload), and verifying it (signature, issuer, audience, times) is
 * most of such a call's CPU. A remembered token is answered as verified only while the verifier itself would still
 * accept it (before {@code exp} plus {@code mp.jwt.verify.clock.skew}, and within {@code mp.jwt.verify.token.age}
 * when set); after that it is verified again, which refuses it. The key is the whole token string, so a token
 * differing in any character (another signature) is never answered from here. At most
 * {@code freight.auth.verified-token-cache-size} tokens are kept.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    /** A verified token and the instant from which the verifier would refuse it. */
    private record Verified(JsonWebToken token, Instant refusedFrom) {
    }

    private final JWTParser verifier;
    private final Clock clock;
    private final long skewSeconds;
    private final Long tokenAgeSeconds;
    private final Cache<String, Verified> verified;

    @Inject
    VerifiedTokenCache(DefaultJWTParser verifier, JWTAuthContextInfo settings, FreightConfig config) {
        // The system clock: the one the verifier (jose4j) reads.
        this(verifier, Clock.systemUTC(), settings.getClockSkew(), settings.getTokenAge(),
                config.auth().verifiedTokenCacheSize());
    }

    VerifiedTokenCache(JWTParser verifier, Clock clock, long skewSeconds, Long tokenAgeSeconds, int maximumSize) {
        this.verifier = verifier;
        this.clock = clock;
        this.skewSeconds = skewSeconds;
        this.tokenAgeSeconds = tokenAgeSeconds;
        // Maintenance (eviction) on the calling thread: the bound holds as soon as a put returns.
        this.verified = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run)
                .expireAfter(Expiry.creating((String token, Verified entry) -> untilRefused(entry))).build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Verified known = verified.getIfPresent(token);
        if (known != null && clock.instant().isBefore(known.refusedFrom())) {
            return known.token();
        }
        JsonWebToken fresh = verifier.parse(token);
        Instant refusedFrom = refusedFrom(fresh);
        if (refusedFrom != null && clock.instant().isBefore(refusedFrom)) {
            verified.put(token, new Verified(fresh, refusedFrom));
        }
        return fresh;
    }

    /** Tokens held now (after pending evictions). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** When the verifier starts refusing {@code token}, or null if that is not known (then it is not remembered). */
    private Instant refusedFrom(JsonWebToken token) {
        long expiresAt = epochSeconds(token, Claims.exp);
        if (expiresAt <= 0) {
            return null;
        }
        long refusedFrom = expiresAt + skewSeconds;
        if (tokenAgeSeconds != null) {
            long issuedAt = epochSeconds(token, Claims.iat);
            if (issuedAt <= 0) {
                return null;
            }
            refusedFrom = Math.min(refusedFrom, issuedAt + tokenAgeSeconds + skewSeconds);
        }
        return Instant.ofEpochSecond(refusedFrom);
    }

    /** A time claim in seconds since the epoch, or -1 when absent. */
    private static long epochSeconds(JsonWebToken token, Claims claim) {
        Object value = token.getClaim(claim.name());
        return value instanceof Number number ? number.longValue()
                : value instanceof JsonNumber json ? json.longValue() : -1;
    }

    private Duration untilRefused(Verified entry) {
        Duration left = Duration.between(clock.instant(), entry.refusedFrom());
        return left.isNegative() ? Duration.ZERO : left;
    }

    // Everything else is a verification with other settings or keys: passed through, never remembered.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
