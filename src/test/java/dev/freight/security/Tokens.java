package dev.freight.security;

import java.time.Duration;
import java.time.Instant;

import io.smallrye.jwt.build.Jwt;

/** Signed test tokens, good and bad. */
final class Tokens {

    private static final String KEY = "test-keys/privateKey.pem";
    private static final String OTHER_KEY = "test-keys/otherPrivateKey.pem";

    private Tokens() {
    }

    static String valid(String subject, String name) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).subject(subject).claim("name", name)
                .expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    static String expired(String subject) {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(AuthEnabledProfile.ISSUER).subject(subject).issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofHours(1))).sign(KEY);
    }

    static String signedByAnotherKey(String subject) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).subject(subject).expiresIn(Duration.ofMinutes(10)).sign(OTHER_KEY);
    }

    static String fromAnotherIssuer(String subject) {
        return Jwt.issuer("https://evil.example").subject(subject).expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    static String withoutSubject() {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).claim("name", "Nobody").expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }
}
