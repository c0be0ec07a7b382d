package dev.freight.reliability;

import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Concurrent calls on one upload end consistently, repeated to catch interleavings: one winner, the others get the
 * final state or a 4xx, never a 5xx, and the record always agrees with S3.
 */
@QuarkusTest
class RaceTest {

    private static final int ROUNDS = 8;
    private static final long PART_SIZE = 5L * 1024 * 1024;

    @Inject
    StorageInspector storage;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void twoCompletesAtOnceBothSeeTheUploadedFile() {
        for (int round = 0; round < ROUNDS; round++) {
            Upload upload = uploadedParts(round);
            List<Response> answers = together(() -> complete(upload), () -> complete(upload));

            // The call that lost the race to mark it completing answers at once: 200 with the file when the
            // assembly was already done, else 202 completing (it never waits for the other call's assembly).
            assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isIn(200, 202));
            assertThat(answers).anySatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
            String etag = storage.itemString(upload.fileId, "etag");
            assertThat(answers).allSatisfy(answer -> assertThat(answer.jsonPath().getString("etag"))
                    .isEqualTo(answer.statusCode() == 200 ? etag : null));
            assertThat(given().get("/api/upload/" + upload.fileId).jsonPath().getString("etag")).isEqualTo(etag);
            assertAgreesWithStorage(upload);
            assertThat(storage.itemString(upload.fileId, "upload_status")).isEqualTo("uploaded");
        }
    }

    @Test
    void completeAgainstAbortEndsInOneConsistentState() {
        for (int round = 0; round < ROUNDS; round++) {
            Upload upload = uploadedParts(100 + round);
            List<Response> answers = together(() -> complete(upload),
                    () -> given().contentType("application/json").body(Map.of("file_id", upload.fileId))
                            .post("/api/upload/abort"));

            assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isIn(200, 204, 409));
            String status = storage.itemString(upload.fileId, "upload_status");
            assertThat(status).isIn("uploaded", "aborted");
            if (status.equals("uploaded")) {
                assertThat(answers.get(0).statusCode()).isEqualTo(200);
            } else {
                assertThat(answers.get(1).statusCode()).isEqualTo(204);
            }
            assertAgreesWithStorage(upload);
        }
    }

    @Test
    void refreshesDuringCompleteNeverFail() {
        for (int round = 0; round < ROUNDS; round++) {
            Upload upload = uploadedParts(200 + round);
            Supplier<Response> refresh = () -> given().contentType("application/json")
                    .body(Map.of("file_id", upload.fileId, "parts", List.of(Map.of("part_number", 1))))
                    .post("/api/upload/refresh_urls");
            List<Response> answers = together(() -> complete(upload), refresh, refresh);

            assertThat(answers.get(0).statusCode()).isEqualTo(200);
            assertThat(answers.subList(1, 3)).allSatisfy(answer -> assertThat(answer.statusCode()).isIn(200, 409));
            assertAgreesWithStorage(upload);
        }
    }

    /** The record says uploaded exactly when storage holds the object, with the same ETag. */
    private void assertAgreesWithStorage(Upload upload) {
        String status = storage.itemString(upload.fileId, "upload_status");
        String key = storage.objectKey(UUID.fromString(upload.fileId));
        assertThat(storage.objectExists(key)).as("object exists while record is " + status)
                .isEqualTo(status.equals("uploaded"));
        if (status.equals("uploaded")) {
            assertThat(storage.itemString(upload.fileId, "etag")).isEqualTo(storage.objectEtag(key));
            assertThat(storage.object(key)).isEqualTo(upload.bytes);
        } else {
            assertThat(storage.hasOpenMultipartUpload(upload.uploadId)).isFalse();
        }
    }

    @SafeVarargs
    private List<Response> together(Supplier<Response>... calls) {
        List<CompletableFuture<Response>> running = java.util.Arrays.stream(calls)
                .map(call -> CompletableFuture.supplyAsync(call, pool)).toList();
        return running.stream().map(CompletableFuture::join).toList();
    }

    private static Response complete(Upload upload) {
        return given().contentType("application/json").body(Map.of("file_id", upload.fileId, "parts",
                List.of(Map.of("part_number", 1, "etag", upload.etags.get(0)),
                        Map.of("part_number", 2, "etag", upload.etags.get(1)))))
                .post("/api/upload/complete");
    }

    private record Upload(String fileId, String uploadId, byte[] bytes, List<String> etags) {
    }

    private static Upload uploadedParts(long seed) {
        byte[] file = TestFiles.randomBytes((int) PART_SIZE + 10, seed);
        JsonPath started = init(initBody("race.bin", file.length, PART_SIZE));
        List<String> etags = List.of(
                PartSender.put(urlOf(started, 1), Map.of(), TestFiles.part(file, PART_SIZE, 1)).etag(),
                PartSender.put(urlOf(started, 2), Map.of(), TestFiles.part(file, PART_SIZE, 2)).etag());
        return new Upload(started.getString("file_id"), started.getString("upload_id"), file, etags);
    }
}
