package dev.freight.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.support.StorageInspector;
import dev.freight.upload.service.CompanionCapabilities;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * With authentication on, nothing of the Companion routes is open to anonymous callers: {@code /companion} takes a
 * bearer token (Uppy 5's {@code headers}), {@code /companion/c/{capability}} a capability the owner's backend asked
 * for with its token (Uppy 6 sends no {@code Authorization}). A capability names one owner, expires, and is refused
 * when altered, expired or of another kind; another owner's upload answers 404.
 */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class CompanionCapabilityTest {

    private static final String ADA = Tokens.valid("ada-companion", "Ada");
    private static final String BOB = Tokens.valid("bob-companion", "Bob");

    @Inject
    StorageInspector storage;

    @Inject
    FreightConfig config;

    @Test
    void aCapabilityFromTheOwnersBackendStartsUploadsOfThatOwnerWithoutAnAuthorizationHeader() throws Exception {
        JsonPath issued = issue(ADA).then().statusCode(201).extract().jsonPath();
        String base = URI.create(issued.getString("companion_url")).getPath();
        assertThat(base).startsWith("/companion/c/fc1.");
        assertThat(Instant.parse(issued.getString("expires_at")))
                .isBetween(Instant.now().plus(Duration.ofHours(4)).minusSeconds(60), Instant.now().plus(Duration.ofHours(4)));

        JsonPath started = start(base + "/s3").then().statusCode(200).extract().jsonPath();
        String key = started.getString("key");
        given().queryParam("key", key).get(base + "/s3/multipart/" + started.getString("uploadId") + "/1").then()
                .statusCode(200);
        JsonPath record = given().auth().oauth2(ADA).get("/api/upload/" + key).then().statusCode(200).extract()
                .jsonPath();
        assertThat(record.getString("author_name")).isEqualTo("Ada");
        assertThat(storage.itemString(key, "owner")).isEqualTo("ada-companion");
        given().auth().oauth2(BOB).get("/api/upload/" + key).then().statusCode(404);

        // Bob's capability cannot touch Ada's upload.
        String bobsBase = URI.create(issue(BOB).then().statusCode(201).extract().<String>path("companion_url"))
                .getPath();
        problem(given().queryParam("key", key).get(bobsBase + "/s3/multipart/" + started.getString("uploadId")),
                404, "upload-not-found");
        problem(given().queryParam("key", key).delete(bobsBase + "/s3/multipart/" + started.getString("uploadId")),
                404, "upload-not-found");
        assertThat(storage.itemString(key, "upload_status")).isEqualTo("uploading");
        // A capability is a credential: the access log names the route, never the capability.
        String logs = java.nio.file.Files.readString(java.nio.file.Path.of("target/test-logs/freight.log"));
        assertThat(logs).contains("/companion/c/{capability}/s3/multipart").doesNotContain(base)
                .doesNotContain(bobsBase);
    }

    @Test
    void nothingIsOpenToAnonymousCallers() {
        long records = storage.itemCount();
        problem(given().contentType("application/json").body(Map.of()).post("/api/companion/capabilities"), 401,
                "unauthorized");
        problem(start("/companion/s3"), 401, "unauthorized");
        problem(given().queryParam("filename", "a.txt").queryParam("type", "text/plain").get("/companion/s3/params"),
                401, "unauthorized");
        assertThat(storage.itemCount()).isEqualTo(records);
        // Uppy 5 can send the bearer token itself (its headers option).
        given().auth().oauth2(ADA).contentType("application/json")
                .body(Map.of("filename", "a.txt", "type", "text/plain")).post("/companion/s3/multipart").then()
                .statusCode(200);
    }

    @Test
    void alteredExpiredOrForeignCapabilitiesAreRefusedAndChangeNothing() {
        String issued = URI.create(issue(ADA).then().statusCode(201).extract().<String>path("companion_url"))
                .getPath().substring("/companion/c/".length());
        char last = issued.charAt(issued.length() - 1);
        String altered = issued.substring(0, issued.length() - 1) + (last == 'A' ? 'B' : 'A');
        String payloadAltered = issued.replaceFirst("^fc1\\.A", "fc1.B");
        CompanionCapabilities keys = new CompanionCapabilities(config.upload().tokenKeys().orElseThrow(),
                Duration.ofSeconds(-1), Clock.systemUTC());
        String expired = keys.issue("ada-companion", "Ada");
        String uploadToken = "ft1." + issued.substring(4);
        long records = storage.itemCount();
        for (String capability : List.of(altered, payloadAltered, expired, uploadToken, "fc1.", "x".repeat(2000))) {
            Response answer = start("/companion/c/" + capability + "/s3");
            JsonPath problem = problem(answer, 401, "unauthorized");
            assertThat(problem.getString("detail")).as(capability).startsWith("The Companion capability");
        }
        assertThat(problem(start("/companion/c/" + expired + "/s3"), 401, "unauthorized").getString("detail"))
                .contains("expired");
        assertThat(storage.itemCount()).isEqualTo(records);
    }

    private static Response issue(String token) {
        return given().auth().oauth2(token).contentType("application/json").body(Map.of())
                .post("/api/companion/capabilities");
    }

    private static Response start(String base) {
        return given().contentType("application/json").body(Map.of("filename", "clip.mov", "type", "video/quicktime"))
                .post(base + "/multipart");
    }

    private static JsonPath problem(Response answer, int status, String type) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonPath problem = answer.jsonPath();
        assertThat(problem.getString("type")).endsWith("/" + type);
        return problem;
    }
}
