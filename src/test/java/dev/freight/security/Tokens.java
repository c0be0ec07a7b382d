package dev.freight.security;

import java.time.Duration;
import java.time.Instant;

import io.smallrye.jwt.build.Jwt;

/** Signed test tokens, good and bad (public: the browser tests sign the page's user in with them too). */
public final class Tokens {

    private static final String KEY = "test-keys/privateKey.pem";
    private static final String OTHER_KEY = "test-keys/otherPrivateKey.pem";

    private Tokens() {
    }

    public static String valid(String subject, String name) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE).subject(subject)
                .claim("name", name).expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    public static String expired(String subject) {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE).subject(subject)
                .issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofHours(1))).sign(KEY);
    }

    /** Valid until {@code expiresAt} (whole seconds, as JWTs count). */
    static String expiringAt(String subject, Instant expiresAt) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE).subject(subject)
                .issuedAt(Instant.now()).expiresAt(expiresAt).sign(KEY);
    }

    static String signedByAnotherKey(String subject) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE).subject(subject)
                .expiresIn(Duration.ofMinutes(10)).sign(OTHER_KEY);
    }

    static String fromAnotherIssuer(String subject) {
        return Jwt.issuer("https://evil.example").audience(AuthEnabledProfile.AUDIENCE).subject(subject)
                .expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    static String withoutSubject() {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE).claim("name", "Nobody")
                .expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    /** Right issuer and key, but meant for another service. */
    static String forAnotherAudience(String subject) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience("some-other-api").subject(subject)
                .expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    /** Right issuer and key, no audience at all. */
    static String withoutAudience(String subject) {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).subject(subject).expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }
}
