package dev.freight.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Another subject cannot see or touch an upload: every endpoint answers 404, exactly as for an unknown id. */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class OwnershipTest {

    private static final String ALICE = "Bearer " + Tokens.valid("alice", "Alice");
    private static final String BOB = "Bearer " + Tokens.valid("bob", "Bob");

    @Inject
    StorageInspector storage;

    @Test
    void anotherOwnerGets404EverywhereAndChangesNothing() {
        byte[] file = TestFiles.randomBytes(500, 40);
        JsonPath started = as(ALICE).contentType("application/json")
                .body(Map.of("filename", "secret.txt", "file_type", "text/plain", "file_size", file.length))
                .post("/api/upload/init").then().statusCode(201).extract().jsonPath();
        String fileId = started.getString("file_id");
        String etag = PartSender.put(started.getString("parts[0].url"), Map.of(), file).etag();
        String versionBefore = storage.itemString(fileId, "version");

        String unknownDetail = as(BOB).get("/api/upload/00000000-0000-4000-8000-000000000000").then().statusCode(404)
                .extract().jsonPath().getString("detail");
        List<Response> answers = List.of(
                as(BOB).get("/api/upload/" + fileId),
                as(BOB).contentType("application/json").body(Map.of("file_id", fileId)).post("/api/upload/refresh_urls"),
                as(BOB).contentType("application/json")
                        .body(Map.of("file_id", fileId, "parts", List.of(Map.of("part_number", 1, "etag", etag))))
                        .post("/api/upload/complete"),
                as(BOB).contentType("application/json").body(Map.of("file_id", fileId)).post("/api/upload/abort"),
                as(BOB).get("/api/download/" + fileId),
                as(BOB).redirects().follow(false).get("/api/download/" + fileId + "?redirect=true"));
        for (Response answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getString("detail")).isEqualTo(unknownDetail);
            assertThat(answer.asString()).doesNotContain("secret.txt");
        }
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploading");
        assertThat(storage.itemString(fileId, "version")).isEqualTo(versionBefore);
        assertThat(storage.hasOpenMultipartUpload(started.getString("upload_id"))).isTrue();

        // Bob listing Alice's author name sees nothing; Alice sees her upload.
        assertThat(as(BOB).queryParam("author_name", "Alice").get("/api/upload").then().statusCode(200)
                .extract().jsonPath().getList("uploads")).isEmpty();
        assertThat(as(ALICE).get("/api/upload").then().statusCode(200).extract().jsonPath()
                .getList("uploads.file_id", String.class)).contains(fileId);

        // The owner can finish and download it.
        as(ALICE).contentType("application/json")
                .body(Map.of("file_id", fileId, "parts", List.of(Map.of("part_number", 1, "etag", etag))))
                .post("/api/upload/complete").then().statusCode(200);
        as(ALICE).get("/api/download/" + fileId).then().statusCode(200);
        as(BOB).get("/api/download/" + fileId).then().statusCode(404);
    }

    private static RequestSpecification as(String authorization) {
        return given().header("Authorization", authorization);
    }
}
