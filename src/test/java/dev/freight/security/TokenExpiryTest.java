package dev.freight.security;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A token verified (and remembered) while valid is refused once it expires: the verified-token cache never outlives
 * the token. A clock skew of 1 s here, so the test waits seconds, not half a minute.
 */
@QuarkusTest
@TestProfile(TokenExpiryTest.NoSkew.class)
class TokenExpiryTest {

    private static final String SOME_ID = "00000000-0000-4000-8000-000000000000";

    public static class NoSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(new AuthEnabledProfile().getConfigOverrides());
            // 1 s, the least: smallrye-jwt reads 0 as "unset" and allows its default of 60 s.
            overrides.put("mp.jwt.verify.clock.skew", "1");
            return overrides;
        }
    }

    @Test
    void aRememberedTokenIs401OnceExpired() throws InterruptedException {
        Tokens.valid("warm-up", "Warm Up"); // the first signing loads the key, slowly on a busy machine
        Instant expiresAt = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 5);
        String token = Tokens.expiringAt("alice", expiresAt);
        // Known to the service, unknown upload: authenticated.
        given().header("Authorization", "Bearer " + token).get("/api/upload/" + SOME_ID).then().statusCode(404);
        given().header("Authorization", "Bearer " + token).get("/api/upload/" + SOME_ID).then().statusCode(404);

        while (!Instant.now().isAfter(expiresAt.plusSeconds(1).plusMillis(1500))) {
            Thread.sleep(200);
        }

        given().header("Authorization", "Bearer " + token).get("/api/upload/" + SOME_ID).then().statusCode(401)
                .contentType("application/problem+json");
    }
}
