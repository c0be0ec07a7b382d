package dev.freight.upload;

import static dev.freight.support.FreightApi.abort;
import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.refresh;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Complete checks every part against storage before assembling; abort removes the parts; both are repeatable. */
@QuarkusTest
class CompleteAndAbortTest {

    private static final long PART_SIZE = 5L * MIB;
    private static final int FILE_SIZE = 10 * MIB + 100;

    @Inject
    StorageInspector storage;

    @Test
    void missingPartIsNamedAndTheUploadStaysResumable() {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 10);
        JsonPath started = init(initBody("a.bin", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");
        Map<Integer, String> etags = new TreeMap<>();
        etags.put(1, send(started, file, 1));
        etags.put(3, send(started, file, 3));
        etags.put(2, "\"0123456789abcdef0123456789abcdef\"");

        JsonPath problem = complete(fileId, etags).then().statusCode(409).contentType("application/problem+json")
                .extract().jsonPath();
        assertThat(problem.getList("parts.part_number", Integer.class)).containsExactly(2);
        assertThat(problem.getString("parts[0].problem")).startsWith("missing");
        assertThat(problem.getString("errors[0].field")).isEqualTo("parts[2]");
        assertUploadingWithNoObject(fileId, started.getString("upload_id"));

        etags.put(2, send(started, file, 2));
        complete(fileId, etags).then().statusCode(200);
        assertThat(TestFiles.sha256Hex(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                .isEqualTo(TestFiles.sha256Hex(file));
    }

    @Test
    void wrongEtagIsNamed() {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 11);
        JsonPath started = init(initBody("b.bin", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");
        Map<Integer, String> etags = sendAll(started, file);
        String rightEtag = etags.put(3, "\"ffffffffffffffffffffffffffffffff\"");

        JsonPath problem = complete(fileId, etags).then().statusCode(409).extract().jsonPath();
        assertThat(problem.getList("parts.part_number", Integer.class)).containsExactly(3);
        assertThat(problem.getString("parts[0].problem")).contains("etag");
        assertUploadingWithNoObject(fileId, started.getString("upload_id"));

        etags.put(3, rightEtag);
        complete(fileId, etags).then().statusCode(200);
    }

    @Test
    void bodiesOfAnotherSizeAreRefusedByStorageAndNeverHeld() {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 12);
        JsonPath started = init(initBody("c.bin", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");
        assertThat(started.getLong("parts[1].size")).isEqualTo(PART_SIZE);
        assertThat(started.getLong("parts[2].size")).isEqualTo(100);
        Map<Integer, String> etags = new TreeMap<>();
        etags.put(1, send(started, file, 1));
        // Part 2 one byte short and part 3 one byte long: each URL signs its part's exact Content-Length.
        byte[] shortPart = java.util.Arrays.copyOf(TestFiles.part(file, PART_SIZE, 2), (int) PART_SIZE - 1);
        assertThat(PartSender.put(urlOf(started, 2), Map.of(), shortPart).accepted()).isFalse();
        assertThat(PartSender.put(urlOf(started, 3), Map.of(), new byte[101]).accepted()).isFalse();
        assertThat(status(fileId).getList("uploaded_parts.part_number", Integer.class)).containsExactly(1);

        JsonPath problem = complete(fileId, etags).then().statusCode(409).extract().jsonPath();
        assertThat(problem.getList("parts.part_number", Integer.class)).containsExactly(2, 3);
        assertThat(problem.getString("parts[0].problem")).isEqualTo("missing: storage does not hold this part");
        assertUploadingWithNoObject(fileId, started.getString("upload_id"));
    }

    @Test
    void completeTwiceAnswersTheSame() {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 13);
        JsonPath started = init(initBody("d.bin", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");
        Map<Integer, String> etags = sendAll(started, file);
        String first = complete(fileId, etags).then().statusCode(200).extract().asString();
        String version = storage.itemString(fileId, "version");
        String second = complete(fileId, etags).then().statusCode(200).extract().asString();

        assertThat(second).isEqualTo(first);
        assertThat(storage.itemString(fileId, "version")).isEqualTo(version);
        // A finished upload accepts no more URLs and cannot be aborted.
        refresh(fileId, null).then().statusCode(409).contentType("application/problem+json");
        abort(fileId).then().statusCode(409);
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
    }

    @Test
    void abortRemovesThePartsAndEndsTheUpload() {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 14);
        JsonPath started = init(initBody("e.bin", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");
        String etag = send(started, file, 1);
        assertThat(storage.hasOpenMultipartUpload(started.getString("upload_id"))).isTrue();

        abort(fileId).then().statusCode(204);

        assertThat(storage.hasOpenMultipartUpload(started.getString("upload_id"))).isFalse();
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("aborted");
        // The record of an aborted upload stays a day (DynamoDB TTL), then goes.
        assertThat(java.time.Instant.ofEpochSecond(Long.parseLong(storage.itemString(fileId, "expires_at"))))
                .isBetween(java.time.Instant.now().plusSeconds(86_000), java.time.Instant.now().plusSeconds(86_500));
        JsonPath aborted = status(fileId);
        assertThat(aborted.getString("upload_status")).isEqualTo("aborted");
        assertThat(aborted.getList("uploaded_parts")).isEmpty();
        abort(fileId).then().statusCode(204);
        refresh(fileId, null).then().statusCode(409);
        complete(fileId, Map.of(1, etag)).then().statusCode(409);
        given().get("/api/download/" + fileId).then().statusCode(409).contentType("application/problem+json");
        assertThat(storage.objectExists(storage.objectKey(UUID.fromString(fileId)))).isFalse();
    }

    @Test
    void downloadWaitsUntilTheFileIsUploaded() {
        JsonPath started = init(initBody("f.bin", FILE_SIZE, PART_SIZE));
        JsonPath problem = given().get("/api/download/" + started.getString("file_id")).then().statusCode(409)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getString("detail")).contains("uploading");
    }

    @Test
    void aCompleteNamingAll10000PartsFitsTheBodyLimit() {
        long fileSize = 10_000L * PART_SIZE;
        JsonPath started = init(initBody("huge.bin", fileSize, PART_SIZE));
        assertThat(started.getInt("part_count")).isEqualTo(10_000);
        Map<Integer, String> etags = new TreeMap<>();
        for (int partNumber = 1; partNumber <= 10_000; partNumber++) {
            etags.put(partNumber, "\"" + "0123456789abcdef".repeat(2) + "\"");
        }
        JsonPath problem = complete(started.getString("file_id"), etags).then().statusCode(409).extract().jsonPath();
        assertThat(problem.getList("parts")).hasSize(10_000);
        assertUploadingWithNoObject(started.getString("file_id"), started.getString("upload_id"));
    }

    private void assertUploadingWithNoObject(String fileId, String uploadId) {
        assertThat(status(fileId).getString("upload_status")).isEqualTo("uploading");
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploading");
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isTrue();
        assertThat(storage.objectExists(storage.objectKey(UUID.fromString(fileId)))).isFalse();
    }

    /** Sends every part of {@code file}; answers each part's ETag by part number. */
    private static Map<Integer, String> sendAll(JsonPath started, byte[] file) {
        Map<Integer, String> etags = new TreeMap<>();
        for (int partNumber = 1; partNumber <= started.getInt("part_count"); partNumber++) {
            etags.put(partNumber, send(started, file, partNumber));
        }
        return etags;
    }

    private static String send(JsonPath started, byte[] file, int partNumber) {
        PartSender.Answer answer = PartSender.put(urlOf(started, partNumber), Map.of(),
                TestFiles.part(file, PART_SIZE, partNumber));
        assertThat(answer.status()).isEqualTo(200);
        return answer.etag();
    }
}
