package dev.freight.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Authentication on, as in production, with the test key pair (and quotas no test owner reaches). */
public class AuthEnabledProfile implements QuarkusTestProfile {

    public static final String ISSUER = "https://issuer.freight.test";
    public static final String AUDIENCE = "freight-api";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "freight.auth.enabled", "true",
                "mp.jwt.verify.publickey.location", "test-keys/publicKey.pem",
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE,
                // Test owners keep their uploads across the suite: far above the per-owner defaults.
                "freight.quota.max-open-uploads", "1000000",
                "freight.quota.max-open-bytes", "1125899906842624");
    }
}
