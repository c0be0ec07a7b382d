package dev.freight.webhook;

import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.support.S3RequestRecorder;
import dev.freight.support.StorageInspector;
import dev.freight.support.WebhookReceiver;
import dev.freight.support.WebhookReceiver.HookAnswer;
import dev.freight.support.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * The pre-create hook through a real HTTP hook: it refuses by type and by size (403 upload-refused with its reason,
 * nothing written, no multipart upload started, no event), allows adding metadata, and a hook that does not answer
 * in time refuses (the default). Its requests are signed as webhooks are.
 */
@QuarkusTest
@TestProfile(WebhooksProfile.class)
class PreCreateHookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    StorageInspector storage;

    private final WebhookReceiver receiver = WebhookReceiver.get();

    @BeforeEach
    @AfterEach
    void reset() {
        receiver.reset();
    }

    @Test
    void refusesByTypeAndBySizeAndNothingIsWritten() throws Exception {
        receiver.answerHook(body -> {
            JsonNode data = read(body).get("data");
            if (data.get("file_type").asText().equals("application/x-msdownload")) {
                return new HookAnswer(200, "{\"allow\":false,\"reason\":\"Executables are not accepted here\"}", 0);
            }
            if (data.get("file_size").asLong() > 1_000_000) {
                return new HookAnswer(200, "{\"allow\":false,\"reason\":\"Files over 1 MB need a paid plan\"}", 0);
            }
            return new HookAnswer(200, "{\"allow\":true}", 0);
        });
        long items = storage.itemCount();
        // Refused before storage is touched: not even a CreateMultipartUpload is sent.
        int multipartStarts = S3RequestRecorder.sent(CreateMultipartUploadRequest.class).size();
        int events = receiver.received("/events").size();

        Map<String, Object> executable = initBody("setup.exe", 1000, null);
        executable.put("file_type", "application/x-msdownload");
        JsonPath byType = refused(executable);
        assertThat(byType.getString("detail")).isEqualTo("Executables are not accepted here");
        JsonPath bySize = refused(initBody("big.bin", 2_000_000, null));
        assertThat(bySize.getString("detail")).isEqualTo("Files over 1 MB need a paid plan");

        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(S3RequestRecorder.sent(CreateMultipartUploadRequest.class)).hasSize(multipartStarts);
        Thread.sleep(1200);
        assertThat(receiver.received("/events")).hasSize(events);

        // The hook saw the init's facts and the caller, signed with the hook's secret.
        List<Received> asked = receiver.received("/hook");
        assertThat(asked).hasSize(2);
        WebhookSigner hookSigner = new WebhookSigner(List.of(WebhooksProfile.HOOK_SECRET));
        for (Received request : asked) {
            assertThat(hookSigner.verifies(request.id(), Long.parseLong(request.timestamp()), request.body(),
                    request.signature())).isTrue();
            JsonNode sent = read(request.body());
            assertThat(sent.get("type").asText()).isEqualTo("upload.pre_create");
            assertThat(sent.get("data").get("owner").asText()).isEqualTo("anonymous");
            assertThat(sent.get("data").get("author_name").asText()).isEqualTo("Ada");
        }
        assertThat(read(asked.get(0).body()).get("data").get("filename").asText()).isEqualTo("setup.exe");
    }

    @Test
    void allowsAddingMetadataThatTheRecordAndTheEventCarry() throws Exception {
        receiver.answerHook(body -> new HookAnswer(200,
                "{\"allow\":true,\"metadata\":{\"tenant\":\"t-42\",\"project\":\"from-hook\"}}", 0));
        Map<String, Object> body = initBody("allowed.bin", 1000, null);
        body.put("metadata", Map.of("project", "from-client", "camera", "x100"));
        String fileId = given().contentType(ContentType.JSON).body(body).post("/api/upload/init").then()
                .statusCode(201).extract().jsonPath().getString("file_id");

        Map<String, String> metadata = given().get("/api/upload/" + fileId).then().statusCode(200).extract()
                .jsonPath().getMap("metadata");
        assertThat(metadata).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "t-42", "project", "from-hook",
                "camera", "x100"));
        WebhookEventsTest.eventually(Duration.ofSeconds(10), () -> receiver.received("/events").stream()
                .anyMatch(event -> event.body().contains(fileId)));
        JsonNode created = read(receiver.received("/events").stream().filter(event -> event.body().contains(fileId))
                .findFirst().orElseThrow().body());
        assertThat(created.get("data").get("metadata").get("tenant").asText()).isEqualTo("t-42");
    }

    @Test
    void aHookThatDoesNotAnswerInTimeRefusesByDefault() {
        receiver.answerHook(body -> new HookAnswer(200, "{\"allow\":true}", 2500));
        long items = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();
        Instant started = Instant.now();
        JsonPath problem = refused(initBody("slow.bin", 1000, null));
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofMillis(2400));
        assertThat(problem.getString("detail")).isEqualTo("the hook did not answer in time");
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
    }

    private static JsonPath refused(Map<String, Object> body) {
        JsonPath problem = given().contentType(ContentType.JSON).body(body).post("/api/upload/init").then()
                .statusCode(403).contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getString("type")).isEqualTo("https://freight.dev/problems/upload-refused");
        return problem;
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
