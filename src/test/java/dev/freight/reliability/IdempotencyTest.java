package dev.freight.reliability;

import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.DynamoDbFaults;
import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A retried init with the same Idempotency-Key returns the same upload; another body with it is refused. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    StorageInspector storage;

    @Test
    void retryReturnsTheSameUploadAndWritesNothingNew() {
        String key = "retry-" + UUID.randomUUID();
        Map<String, Object> body = initBody("movie.mp4", 20L * 1024 * 1024, null);
        Response first = init(key, body);
        long items = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();
        Response second = init(key, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.jsonPath().getString("file_id")).isEqualTo(first.jsonPath().getString("file_id"));
        assertThat(second.jsonPath().getString("upload_id")).isEqualTo(first.jsonPath().getString("upload_id"));
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(second.jsonPath().getList("parts.part_number")).isEqualTo(first.jsonPath().getList("parts.part_number"));
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
    }

    @Test
    void sameKeyWithAnotherBodyIs422() {
        String key = "reuse-" + UUID.randomUUID();
        String fileId = init(key, initBody("a.bin", 100, null)).then().statusCode(201).extract().path("file_id");
        long items = storage.itemCount();

        Response reused = init(key, initBody("b.bin", 100, null));
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.itemString(fileId, "filename")).isEqualTo("a.bin");
    }

    @Test
    void concurrentRetriesCreateOneUpload() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = "race-" + UUID.randomUUID();
            Map<String, Object> body = initBody("race.bin", 100, null);
            StorageInspector.Mark mark = storage.mark();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<CompletableFuture<Response>> answers = IntStream.range(0, 6)
                        .mapToObj(attempt -> CompletableFuture.supplyAsync(() -> init(key, body), pool)).toList();
                List<String> fileIds = answers.stream().map(CompletableFuture::join).map(answer -> {
                    assertThat(answer.statusCode()).isEqualTo(201);
                    return answer.jsonPath().getString("file_id");
                }).distinct().toList();
                assertThat(fileIds).hasSize(1);
                // Losers aborted the multipart uploads they had started: exactly one is left open.
                assertThat(storage.openUploadsStartedSince(mark)).containsExactly(storage.itemString(fileIds.get(0),
                        "upload_id"));
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void malformedKeysAreRefusedAndWriteNothing() {
        long items = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();
        init("x".repeat(256), initBody("a.bin", 100, null)).then().statusCode(400)
                .contentType("application/problem+json");
        init("bad key with spaces", initBody("a.bin", 100, null)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("idempotency_key"));
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
    }

    @Test
    void aRecordWrittenWhoseAnswerWasLostStillGivesAWorkingUploadAndItsRetryTheSame() {
        String key = "lost-answer-" + UUID.randomUUID();
        byte[] file = dev.freight.support.TestFiles.randomBytes(1000, 33);
        Map<String, Object> body = initBody("lost.bin", file.length, null);
        StorageInspector.Mark mark = storage.mark();
        DynamoDbFaults.loseNextPutItemAnswers(1);
        Response first;
        try {
            first = init(key, body);
        } finally {
            DynamoDbFaults.reset();
        }
        // DynamoDB applied the write; the service read it back instead of aborting the multipart upload.
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        String fileId = first.jsonPath().getString("file_id");
        assertThat(storage.itemString(fileId, "upload_id")).isEqualTo(first.jsonPath().getString("upload_id"));
        assertThat(storage.openUploadsStartedSince(mark)).containsExactly(first.jsonPath().getString("upload_id"));

        Response retry = init(key, body);
        assertThat(retry.jsonPath().getString("upload_id")).isEqualTo(first.jsonPath().getString("upload_id"));
        PartSender.Answer sent = PartSender.put(retry.jsonPath().getString("parts[0].url"), Map.of(), file);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        dev.freight.support.FreightApi.complete(fileId, Map.of(1, sent.etag())).then().statusCode(200);
        assertThat(storage.object(storage.objectKey(UUID.fromString(fileId)))).isEqualTo(file);
    }

    private static Response init(String key, Map<String, Object> body) {
        return given().header("Idempotency-Key", key).contentType("application/json").body(body)
                .post("/api/upload/init");
    }
}
