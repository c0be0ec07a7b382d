package dev.freight.upload.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.SecretKey;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import dev.freight.support.MutableClock;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/** Which tokens the cache answers without the verifier, and until when (a clock of its own, no waiting). */
class VerifiedTokenCacheTest {

    private static final long SKEW = 30;
    private static final Instant NOW = Instant.parse("2026-12-02T05:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final FakeVerifier verifier = new FakeVerifier(clock, SKEW);

    @Test
    void aVerifiedTokenIsNotVerifiedAgainBeforeItExpires() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, null, 100);
        verifier.accept("good", NOW.plusSeconds(600), NOW);

        JsonWebToken first = cache.parse("good");
        clock.set(NOW.plusSeconds(600 + SKEW - 1));
        JsonWebToken second = cache.parse("good");

        assertThat(second).isSameAs(first);
        assertThat(second.getSubject()).isEqualTo("subject-of-good");
        assertThat(verifier.calls).isEqualTo(1);
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpiredPlusTheSkew() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, null, 100);
        verifier.accept("good", NOW.plusSeconds(600), NOW);
        cache.parse("good");

        clock.set(NOW.plusSeconds(600 + SKEW));

        assertThatThrownBy(() -> cache.parse("good")).isInstanceOf(ParseException.class);
        assertThat(verifier.calls).isEqualTo(2);
    }

    @Test
    void theTokenAgeLimitEndsTheCachingEarlierThanExpiry() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, 60L, 100);
        verifier.accept("good", NOW.plusSeconds(3600), NOW);
        cache.parse("good");

        clock.set(NOW.plusSeconds(60 + SKEW - 1));
        cache.parse("good");
        assertThat(verifier.calls).isEqualTo(1);

        clock.set(NOW.plusSeconds(60 + SKEW));
        cache.parse("good");
        assertThat(verifier.calls).as("verified again once older than the age limit").isEqualTo(2);
    }

    @Test
    void anotherTokenStringIsVerifiedEvenIfItDiffersOnlyInTheSignature() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, null, 100);
        verifier.accept("header.payload.signature", NOW.plusSeconds(600), NOW);
        cache.parse("header.payload.signature");

        assertThatThrownBy(() -> cache.parse("header.payload.forged")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> cache.parse("header.payload.forged")).isInstanceOf(ParseException.class);
        assertThat(verifier.calls).isEqualTo(3);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, null, 100);

        assertThatThrownBy(() -> cache.parse("unknown")).isInstanceOf(ParseException.class);
        verifier.accept("unknown", NOW.plusSeconds(600), NOW);
        cache.parse("unknown");

        assertThat(verifier.calls).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aTokenWithoutExpiryIsVerifiedEveryTime() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, null, 100);
        verifier.accept("no-exp", null, NOW);

        cache.parse("no-exp");
        cache.parse("no-exp");

        assertThat(verifier.calls).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void theCacheNeverHoldsMoreThanItsBound() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, SKEW, null, 3);
        for (int index = 0; index < 50; index++) {
            verifier.accept("token-" + index, NOW.plusSeconds(600), NOW);
            cache.parse("token-" + index);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.size()).isEqualTo(3);
    }

    /** What smallrye-jwt's parser does with a token, reduced to: known tokens pass until exp plus the skew. */
    private static final class FakeVerifier implements JWTParser {

        private record Known(Instant expiresAt, Instant issuedAt) {
        }

        private final Map<String, Known> known = new HashMap<>();
        private final Clock clock;
        private final long skewSeconds;
        int calls;

        FakeVerifier(Clock clock, long skewSeconds) {
            this.clock = clock;
            this.skewSeconds = skewSeconds;
        }

        void accept(String token, Instant expiresAt, Instant issuedAt) {
            known.put(token, new Known(expiresAt, issuedAt));
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls++;
            Known entry = known.get(token);
            if (entry == null) {
                throw new ParseException("bad signature");
            }
            if (entry.expiresAt() != null && !clock.instant().isBefore(entry.expiresAt().plusSeconds(skewSeconds))) {
                throw new ParseException("expired");
            }
            Map<String, Object> claims = new HashMap<>();
            claims.put("sub", "subject-of-" + token);
            claims.put("iat", entry.issuedAt().getEpochSecond());
            if (entry.expiresAt() != null) {
                claims.put("exp", entry.expiresAt().getEpochSecond());
            }
            return new JsonWebToken() {
                @Override
                public String getName() {
                    return (String) claims.get("sub");
                }

                @Override
                public Set<String> getClaimNames() {
                    return claims.keySet();
                }

                @Override
                @SuppressWarnings("unchecked")
                public <T> T getClaim(String name) {
                    return (T) claims.get(name);
                }
            };
        }

        @Override
        public JsonWebToken parse(String token, JWTAuthContextInfo context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, PublicKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken parseOnly(String token) {
            throw new UnsupportedOperationException();
        }
    }
}
