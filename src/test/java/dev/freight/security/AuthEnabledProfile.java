package dev.freight.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Authentication on, as in production, with the test key pair. */
public class AuthEnabledProfile implements QuarkusTestProfile {

    public static final String ISSUER = "https://issuer.freight.test";
    public static final String AUDIENCE = "freight-api";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "freight.auth.enabled", "true",
                "mp.jwt.verify.publickey.location", "test-keys/publicKey.pem",
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }
}
