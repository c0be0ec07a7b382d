package dev.freight.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.freight.support.EmbeddedStorageResource;
import dev.freight.support.PartSender;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Runs flows that handle tokens, presigned URLs and storage keys (including failures, with Freight's own debug
 * logging on) and then scans everything logged so far for that material.
 */
@QuarkusTest
@TestProfile(LogSecretsTest.DebugLogging.class)
class LogSecretsTest {

    public static class DebugLogging extends AuthEnabledProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.log.category.\"dev.freight\".level", "DEBUG");
            return overrides;
        }
    }

    @Test
    void logsHoldNoSignatureTokenOrKey() throws Exception {
        String token = Tokens.valid("logger", "Log Watcher");
        byte[] file = TestFiles.randomBytes(100, 50);
        JsonPath started = given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("filename", "log.txt", "file_type", "text/plain", "file_size", file.length))
                .post("/api/upload/init").then().statusCode(201).extract().jsonPath();
        String fileId = started.getString("file_id");
        String etag = PartSender.put(started.getString("parts[0].url"), Map.of(), file).etag();
        given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("file_id", fileId, "parts", List.of(Map.of("part_number", 1, "etag", etag))))
                .post("/api/upload/complete").then().statusCode(200);
        String downloadUrl = given().header("Authorization", "Bearer " + token).get("/api/download/" + fileId)
                .then().statusCode(200).extract().jsonPath().getString("url");
        given().header("Authorization", "Bearer " + Tokens.expired("logger")).get("/api/upload/" + fileId)
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + Tokens.signedByAnotherKey("logger")).get("/api/upload/" + fileId)
                .then().statusCode(401);
        EmbeddedStorageResource.s3().close();
        try {
            given().header("Authorization", "Bearer " + token).contentType("application/json")
                    .body(Map.of("filename", "down.txt", "file_type", "text/plain", "file_size", 1))
                    .post("/api/upload/init").then().statusCode(503);
        } finally {
            EmbeddedStorageResource.s3().restart();
        }

        String logs = Files.readString(Path.of("target/test-logs/freight.log"));
        assertThat(logs).contains(fileId); // the scan reads the log this test wrote to
        assertThat(logs).doesNotContain(token).doesNotContain("eyJ").doesNotContain("Bearer ey");
        assertThat(logs).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Credential")
                .doesNotContain(downloadUrl.substring(downloadUrl.indexOf('?')));
        assertThat(logs).doesNotContain(EmbeddedStorageResource.SECRET_KEY).doesNotContain("PRIVATE KEY");
    }
}
