package dev.freight.upload;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.EmbeddedStorageResource;
import dev.freight.support.FreightApi;
import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** When S3 or DynamoDB is down the API answers 503 + Retry-After and loses nothing; afterwards uploads go on. */
@QuarkusTest
class StorageOutageTest {

    @Inject
    StorageInspector storage;

    @Test
    void s3OutageAnswers503AndWritesNoMetadata() throws Exception {
        byte[] file = TestFiles.randomBytes(2000, 30);
        JsonPath started = init(initBody("before.bin", file.length, null));
        String fileId = started.getString("file_id");
        long items = storage.itemCount();

        EmbeddedStorageResource.s3().close();
        try {
            assertUnavailable(given().contentType("application/json").body(initBody("during.bin", 10, null))
                    .post("/api/upload/init"), "S3");
            assertUnavailable(given().get("/api/upload/" + fileId), "S3");
            assertUnavailable(FreightApi.refresh(fileId, null), "S3");
        } finally {
            EmbeddedStorageResource.s3().restart();
        }
        assertThat(storage.itemCount()).isEqualTo(items);

        PartSender.Answer sent = PartSender.put(urlOf(started, 1), Map.of(), file);
        assertThat(sent.status()).isEqualTo(200);
        complete(fileId, Map.of(1, sent.etag())).then().statusCode(200);
        assertThat(storage.object(storage.objectKey(UUID.fromString(fileId)))).isEqualTo(file);
    }

    @Test
    void dynamoDbOutageAnswers503AndLeavesNoMultipartUploadBehind() throws Exception {
        byte[] file = TestFiles.randomBytes(3000, 31);
        JsonPath started = init(initBody("before.bin", file.length, null));
        String fileId = started.getString("file_id");
        PartSender.Answer sent = PartSender.put(urlOf(started, 1), Map.of(), file);
        StorageInspector.Mark mark = storage.mark();

        EmbeddedStorageResource.dynamoDb().close();
        try {
            assertUnavailable(given().contentType("application/json").body(initBody("during.bin", 10, null))
                    .post("/api/upload/init"), "DynamoDB");
            assertUnavailable(given().get("/api/upload/" + fileId), "DynamoDB");
            assertUnavailable(complete(fileId, Map.of(1, sent.etag())), "DynamoDB");
            // The multipart upload started for the refused init was aborted again.
            assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
        } finally {
            EmbeddedStorageResource.dynamoDb().restart();
        }

        assertThat(status(fileId).getList("uploaded_parts.etag", String.class)).containsExactly(sent.etag());
        complete(fileId, Map.of(1, sent.etag())).then().statusCode(200);
        assertThat(storage.object(storage.objectKey(UUID.fromString(fileId)))).isEqualTo(file);
    }

    private static void assertUnavailable(Response response, String storageName) {
        assertThat(response.statusCode()).isEqualTo(503);
        // Jittered: a whole number of seconds within freight.storage.retry-after-min/max (1-5 s by default).
        assertThat(Integer.parseInt(response.header("Retry-After"))).isBetween(1, 5);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).isEqualTo(storageName + " is unavailable; retry later");
    }
}
