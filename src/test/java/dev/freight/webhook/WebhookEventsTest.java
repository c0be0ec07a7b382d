package dev.freight.webhook;

import static dev.freight.support.FreightApi.abort;
import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.config.FreightConfig;
import dev.freight.support.DynamoDbFaults;
import dev.freight.support.PartSender;
import dev.freight.support.StandardWebhooksVerifier;
import dev.freight.support.StandardWebhooksVerifier.Delivery;
import dev.freight.support.StandardWebhooksVerifier.Verdict;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.support.WebhookReceiver;
import dev.freight.support.WebhookReceiver.Received;
import dev.freight.upload.service.EventOutbox;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Events through a real HTTP receiver: each state change arrives once, signed so that the npm standardwebhooks
 * verifier accepts it; a receiver that is down gets every event once it is back, in order per upload, ids unchanged;
 * a state change whose event cannot be written is not made.
 */
@QuarkusTest
@TestProfile(WebhooksProfile.class)
class WebhookEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILE_SIZE = 3000;

    @Inject
    StorageInspector storage;

    @Inject
    EventOutbox outbox;

    @Inject
    S3Client s3;

    @Inject
    FreightConfig config;

    private final WebhookReceiver receiver = WebhookReceiver.get();

    @BeforeEach
    @AfterEach
    void reset() {
        receiver.reset();
        DynamoDbFaults.reset();
    }

    @Test
    void everyStateChangeArrivesOnceSignedAsTheSpecificationSays() throws Exception {
        Map<String, Object> withMetadata = initBody("film.mp4", FILE_SIZE, null);
        withMetadata.put("metadata", Map.of("project", "apollo"));
        String completed = upload(withMetadata);
        String aborted = init(initBody("aborted.bin", FILE_SIZE, null)).getString("file_id");
        abort(aborted).then().statusCode(204);
        JsonPath vanishing = init(initBody("vanished.bin", FILE_SIZE, null));
        String vanished = vanishing.getString("file_id");
        s3.abortMultipartUpload(abort -> abort.bucket(config.storage().bucket())
                .key(storage.objectKey(UUID.fromString(vanished))).uploadId(vanishing.getString("upload_id")));
        given().get("/api/upload/" + vanished).then().statusCode(200);

        Map<String, List<String>> expected = Map.of(completed, List.of("upload.created", "upload.completed"),
                aborted, List.of("upload.created", "upload.aborted"),
                vanished, List.of("upload.created", "upload.failed"));
        eventually(Duration.ofSeconds(20), () -> of(typesByUpload(accepted()), expected.keySet()).equals(expected));
        Thread.sleep(1500); // a delivery pass later: still once each
        List<Received> deliveries = accepted();
        assertThat(of(typesByUpload(deliveries), expected.keySet())).isEqualTo(expected);
        deliveries = deliveries.stream().filter(delivery -> expected.containsKey(fileIdOf(delivery))).toList();
        assertThat(deliveries).extracting(Received::id).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("msg_[0-9a-f]{32}"));

        JsonNode done = body(only(deliveries, completed, "upload.completed"));
        JsonNode data = done.get("data");
        assertThat(data.get("status").asText()).isEqualTo("uploaded");
        assertThat(data.get("file_size").asLong()).isEqualTo(FILE_SIZE);
        assertThat(data.get("etag").asText()).isEqualTo(storage.objectEtag(storage.objectKey(UUID.fromString(completed))));
        assertThat(data.get("object").get("bucket").asText()).isEqualTo(config.storage().bucket());
        assertThat(data.get("object").get("key").asText()).isEqualTo(completed);
        assertThat(data.get("metadata").get("project").asText()).isEqualTo("apollo");
        assertThat(Instant.parse(done.get("timestamp").asText())).isBefore(Instant.now());
        assertThat(body(only(deliveries, vanished, "upload.failed")).get("data").get("reason").asText())
                .isEqualTo("vanished");
        assertThat(body(only(deliveries, aborted, "upload.aborted")).get("data").get("status").asText())
                .isEqualTo("aborted");

        // The independent verifier: every delivery as sent passes; the same with a changed body does not.
        List<Delivery> checks = new ArrayList<>();
        deliveries.forEach(delivery -> checks.add(new Delivery(WebhooksProfile.SECRET, delivery.body(),
                delivery.headers())));
        Received sample = deliveries.get(0);
        checks.add(new Delivery(WebhooksProfile.SECRET, sample.body().replace("upload.", "uploads."),
                sample.headers()));
        List<Verdict> verdicts = StandardWebhooksVerifier.verify(checks);
        assertThat(verdicts.subList(0, deliveries.size())).allMatch(Verdict::ok);
        assertThat(verdicts.get(deliveries.size()).ok()).isFalse();

        // Delivered events leave the outbox.
        assertThat(outbox.due(Instant.now().plusSeconds(3600), 1000)).noneMatch(entry ->
                expected.containsKey(entry.fileId().toString()));
    }

    @Test
    void aReceiverThatWasDownGetsEveryEventInOrderWithTheSameIds() throws Exception {
        receiver.answerEvents(503);
        List<String> uploads = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            uploads.add(upload(initBody("down" + index + ".bin", FILE_SIZE, null)));
        }
        eventually(Duration.ofSeconds(10), () -> receiver.received("/events").stream()
                .filter(request -> uploads.contains(fileIdOf(request))).count() >= 6);
        receiver.answerEvents(204);
        eventually(Duration.ofSeconds(20), () -> typesByUpload(accepted()).keySet()
                .containsAll(uploads) && uploads.stream().allMatch(id -> typesByUpload(accepted()).getOrDefault(id, List.of()).size() == 2));

        List<Received> all = receiver.received("/events");
        for (String fileId : uploads) {
            List<Received> ofUpload = all.stream().filter(request -> fileId.equals(fileIdOf(request))).toList();
            Map<String, Set<String>> idsByType = ofUpload.stream().collect(Collectors.groupingBy(WebhookEventsTest::typeOf,
                    Collectors.mapping(Received::id, Collectors.toSet())));
            // Every attempt of one event carried the same id.
            assertThat(idsByType.get("upload.created")).hasSize(1);
            assertThat(idsByType.get("upload.completed")).hasSize(1);
            assertThat(ofUpload.stream().filter(request -> typeOf(request).equals("upload.created"))
                    .filter(request -> !request.accepted()).count()).as("failed attempts of %s", fileId)
                    .isPositive();
            // created was accepted before completed was first sent at all.
            Instant createdAccepted = ofUpload.stream().filter(Received::accepted)
                    .filter(request -> typeOf(request).equals("upload.created")).findFirst().orElseThrow().at();
            Instant completedFirstSent = ofUpload.stream()
                    .filter(request -> typeOf(request).equals("upload.completed")).findFirst().orElseThrow().at();
            assertThat(completedFirstSent).isAfterOrEqualTo(createdAccepted);
            assertThat(ofUpload.stream().filter(Received::accepted).map(WebhookEventsTest::typeOf).toList())
                    .containsExactly("upload.created", "upload.completed");
        }
    }

    @Test
    void anUploadIsNeverRecordedUploadedWithoutItsEvent() throws Exception {
        JsonPath started = init(initBody("guarded.bin", FILE_SIZE, null));
        String fileId = started.getString("file_id");
        String etag = PartSender.put(urlOf(started, 1), Map.of(), TestFiles.randomBytes(FILE_SIZE, 7)).etag();
        eventually(Duration.ofSeconds(10), () -> typesByUpload(accepted()).containsKey(fileId));

        DynamoDbFaults.refuseNextEventWrites(100);
        int refused = complete(fileId, Map.of(1, etag)).then().extract().statusCode();
        assertThat(refused).isEqualTo(503);
        // The record did not become uploaded (its write and the event's are one transaction): still resumable.
        assertThat(storage.itemString(fileId, "upload_status")).isIn("uploading", "completing");
        Thread.sleep(1500);
        assertThat(typesByUpload(accepted()).get(fileId)).containsExactly("upload.created");

        DynamoDbFaults.reset();
        // S3 assembled the file before the record write failed: the next status repairs the record, with its event.
        assertThat(given().get("/api/upload/" + fileId).then().statusCode(200).extract().jsonPath()
                .getString("upload_status")).isEqualTo("uploaded");
        eventually(Duration.ofSeconds(10), () -> typesByUpload(accepted()).getOrDefault(fileId, List.of()).size() == 2);
        assertThat(typesByUpload(accepted()).get(fileId)).containsExactly("upload.created", "upload.completed");
    }

    @Test
    void anEventItsWriterNeverTriedIsDeliveredByTheLeaseHolder() throws Exception {
        // The init's transaction (record and event) is applied but its answer lost: the writer goes on without its
        // immediate attempt, as an instance that died right after the write would.
        DynamoDbFaults.loseNextPutItemAnswers(1);
        Instant beforeTheWrite = Instant.now();
        String fileId = init(initBody("orphan.bin", FILE_SIZE, null)).getString("file_id");
        eventually(Duration.ofSeconds(15), () -> typesByUpload(accepted()).containsKey(fileId));
        Received delivered = accepted().stream().filter(delivery -> fileId.equals(fileIdOf(delivery))).findFirst()
                .orElseThrow();
        // Not before its writer's claim (2 s here) ran out.
        assertThat(Duration.between(beforeTheWrite, delivered.at())).isGreaterThan(Duration.ofMillis(1900));
        Thread.sleep(1500);
        assertThat(typesByUpload(accepted()).get(fileId)).containsExactly("upload.created");
    }

    @Test
    void aGoneEndpointIsDisabledAndItsDeadLettersReplayWithTheirIds() throws Exception {
        receiver.answerEvents(410);
        String first = init(initBody("gone1.bin", FILE_SIZE, null)).getString("file_id");
        eventually(Duration.ofSeconds(10), () -> deadLetters().stream().anyMatch(dead -> dead.contains(first)));
        int requestsWhenDisabled = receiver.received("/events").size();
        // Disabled: the next event is dead-lettered without a request.
        String second = init(initBody("gone2.bin", FILE_SIZE, null)).getString("file_id");
        eventually(Duration.ofSeconds(10), () -> deadLetters().stream().anyMatch(dead -> dead.contains(second)));
        assertThat(receiver.received("/events")).hasSize(requestsWhenDisabled);

        given().get("/api/admin/webhooks/dead-letters").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2("not-the-admin-token-0123456789abcdefghij").get("/api/admin/webhooks/dead-letters")
                .then().statusCode(401);
        JsonPath listed = admin().get("/api/admin/webhooks/dead-letters").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Object> gone = listed.getMap("dead_letters.find { it.file_id == '" + first + "' }");
        assertThat(gone).containsEntry("type", "upload.created").containsEntry("endpoint", "receiver")
                .containsEntry("attempts", 1).containsEntry("last_error", "HTTP 410");
        Map<String, Object> skipped = listed.getMap("dead_letters.find { it.file_id == '" + second + "' }");
        assertThat(skipped.get("last_error").toString()).contains("disabled");
        admin().contentType("application/json").body(Map.of("all", true, "deliveries", List.of("x")))
                .post("/api/admin/webhooks/dead-letters/replay").then().statusCode(400);

        receiver.answerEvents(204);
        int replayed = admin().contentType("application/json").body(Map.of("all", true))
                .post("/api/admin/webhooks/dead-letters/replay").then().statusCode(200).extract().jsonPath()
                .getInt("replayed");
        assertThat(replayed).isGreaterThanOrEqualTo(2);
        eventually(Duration.ofSeconds(10), () -> typesByUpload(accepted()).containsKey(first)
                && typesByUpload(accepted()).containsKey(second));
        assertThat(accepted().stream().filter(delivery -> first.equals(fileIdOf(delivery))).findFirst().orElseThrow()
                .id()).isEqualTo(gone.get("webhook_id"));
        assertThat(deadLetters()).noneMatch(dead -> dead.contains(first) || dead.contains(second));
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(WebhooksProfile.ADMIN_TOKEN);
    }

    private static List<String> deadLetters() {
        return admin().get("/api/admin/webhooks/dead-letters").then().statusCode(200).extract().jsonPath()
                .getList("dead_letters.file_id", String.class);
    }

    /** Polls {@code condition} every 100 ms until it holds, failing after {@code limit}. */
    static void eventually(Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("Not within " + limit);
            }
            Thread.sleep(100);
        }
    }

    /** Init, one part, complete: the file id. */
    private static String upload(Map<String, Object> body) {
        JsonPath started = init(body);
        String fileId = started.getString("file_id");
        PartSender.Answer part = PartSender.put(urlOf(started, 1), Map.of(), TestFiles.randomBytes(FILE_SIZE, 3));
        assertThat(part.accepted()).isTrue();
        complete(fileId, Map.of(1, part.etag())).then().statusCode(200);
        return fileId;
    }

    private List<Received> accepted() {
        return receiver.received("/events").stream().filter(Received::accepted).toList();
    }

    /** Each upload's accepted event types, in the order they arrived. */
    private static Map<String, List<String>> typesByUpload(List<Received> deliveries) {
        Map<String, List<String>> types = new LinkedHashMap<>();
        for (Received delivery : deliveries) {
            types.computeIfAbsent(fileIdOf(delivery), ignored -> new ArrayList<>()).add(typeOf(delivery));
        }
        return new HashMap<>(types);
    }

    private static Map<String, List<String>> of(Map<String, List<String>> types, Set<String> uploads) {
        Map<String, List<String>> kept = new HashMap<>(types);
        kept.keySet().retainAll(uploads);
        return kept;
    }

    private static Received only(List<Received> deliveries, String fileId, String type) {
        List<Received> matching = deliveries.stream().filter(delivery -> fileId.equals(fileIdOf(delivery)))
                .filter(delivery -> type.equals(typeOf(delivery))).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode body(Received delivery) {
        try {
            return JSON.readTree(delivery.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String fileIdOf(Received delivery) {
        return body(delivery).get("data").get("file_id").asText();
    }

    private static String typeOf(Received delivery) {
        return body(delivery).get("type").asText();
    }
}
