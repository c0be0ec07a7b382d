package dev.freight.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.S3RequestRecorder;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * The optional caps on what one owner keeps ({@code freight.quota.max-stored-files} / {@code max-stored-bytes}):
 * uploaded files and open uploads count, an init over the cap is a 403 {@code quota-exceeded} that touches no
 * storage, and another owner is not affected.
 */
@QuarkusTest
@TestProfile(StoredFilesQuotaTest.StoredLimits.class)
class StoredFilesQuotaTest {

    static final int MAX_STORED_FILES = 2;
    static final long MAX_STORED_BYTES = 10_000;

    /** Authentication on, at most two files or 10,000 bytes kept per owner. */
    public static class StoredLimits extends AuthEnabledProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("freight.quota.max-stored-files", Integer.toString(MAX_STORED_FILES));
            overrides.put("freight.quota.max-stored-bytes", Long.toString(MAX_STORED_BYTES));
            return overrides;
        }
    }

    @Inject
    StorageInspector storage;

    @Test
    void uploadedFilesAndOpenUploadsCountAgainstTheStoredFilesCap() {
        String owner = "keeper-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Keeper");
        byte[] file = TestFiles.randomBytes(1000, 25);
        JsonPath first = init(token, file.length).then().statusCode(201).extract().jsonPath();
        String etag = PartSender.put(first.getString("parts[0].url"), Map.of(), file).etag();
        given().header("Authorization", token).contentType("application/json")
                .body(Map.of("file_id", first.getString("file_id"), "parts",
                        List.of(Map.of("part_number", 1, "etag", etag))))
                .post("/api/upload/complete").then().statusCode(200);
        assertThat(counter(owner)).containsEntry("stored_files", 1L).containsEntry("stored_bytes", 1000L)
                .containsEntry("open_uploads", 0L);
        // One stored file and one open upload: the cap of two is reached.
        String open = init(token, 1000).then().statusCode(201).extract().jsonPath().getString("file_id");

        long items = storage.itemCount();
        int started = S3RequestRecorder.sent(CreateMultipartUploadRequest.class).size();
        Response refused = init(token, 1000);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).endsWith("quota-exceeded");
        assertThat(refused.jsonPath().getString("limit")).isEqualTo("freight.quota.max-stored-files");
        assertThat(refused.jsonPath().getLong("max")).isEqualTo(MAX_STORED_FILES);
        assertThat(refused.jsonPath().getLong("current")).isEqualTo(2);
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(S3RequestRecorder.sent(CreateMultipartUploadRequest.class)).hasSize(started);

        // Aborting the open upload makes room again; the stored file keeps counting.
        given().header("Authorization", token).contentType("application/json").body(Map.of("file_id", open))
                .post("/api/upload/abort").then().statusCode(204);
        init(token, 1000).then().statusCode(201);
        assertThat(counter(owner)).containsEntry("stored_files", 1L).containsEntry("open_uploads", 1L);
        // Another owner is not affected.
        init("Bearer " + Tokens.valid("other-" + UUID.randomUUID(), "Other"), 1000).then().statusCode(201);
    }

    @Test
    void theStoredBytesCapCountsTheNewFilesDeclaredSize() {
        String token = "Bearer " + Tokens.valid("bytes-keeper-" + UUID.randomUUID(), "Bytes");
        init(token, 6000).then().statusCode(201);
        Response refused = init(token, 4001);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.jsonPath().getString("limit")).isEqualTo("freight.quota.max-stored-bytes");
        assertThat(refused.jsonPath().getLong("current")).isEqualTo(6000);
        assertThat(refused.jsonPath().getString("detail")).contains("stored files count until they are removed");
        init(token, 4000).then().statusCode(201);
    }

    private Map<String, Long> counter(String owner) {
        return storage.quotaCounters(owner);
    }

    private static Response init(String token, long fileSize) {
        return given().header("Authorization", token).contentType("application/json").body(Map.of("filename",
                "kept.bin", "file_type", "application/octet-stream", "file_size", fileSize))
                .post("/api/upload/init");
    }
}
