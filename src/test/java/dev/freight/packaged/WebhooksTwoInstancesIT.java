package dev.freight.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
import dev.freight.support.PackagedApp;
import dev.freight.support.PackagedAppEnvironment;
import dev.freight.support.TestFiles;
import dev.freight.support.WebhookReceiver;
import dev.freight.support.WebhookReceiver.Received;

/**
 * Two packaged instances on one storage and one webhook receiver: the instance that answered complete is killed
 * (SIGKILL) at once, while its delivery of {@code upload.completed} is on the wire (the receiver answers slowly). The
 * other instance delivers the event: never zero times, and a duplicate only with the same {@code webhook-id}.
 */
class WebhooksTwoInstancesIT {

    private static final String ACCESS_KEY = "webhookinstances";
    private static final String SECRET_KEY = "webhookinstancessecret";
    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("two-instances-webhook-secret-32-bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static final int TRIALS = Integer.getInteger("freight.trials", 2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dataDir;
    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;
    private WebhookReceiver receiver;
    private Map<String, String> environment;
    private PackagedApp second;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("freight-webhooks-two-instances");
        s3 = EmbeddedS3.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
        dynamoDb = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"), 0);
        receiver = WebhookReceiver.standalone();
        environment = new HashMap<>(PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(), ACCESS_KEY,
                SECRET_KEY, 0));
        environment.put("FREIGHT_WEBHOOKS_ENDPOINTS_RECEIVER_URL", receiver.url("/events"));
        environment.put("FREIGHT_WEBHOOKS_ENDPOINTS_RECEIVER_SECRETS", SECRET);
        environment.put("FREIGHT_WEBHOOKS_TIMEOUT", "2S");
        environment.put("FREIGHT_WEBHOOKS_CLAIM", "4S");
        environment.put("FREIGHT_WEBHOOKS_POLL_INTERVAL", "1s");
        environment.put("FREIGHT_WEBHOOKS_RETRY_SCHEDULE", "0S,1S,1S,1S,1S,1S");
        second = new PackagedApp(environment, dataDir.resolve("second.log"));
        second.start();
    }

    @AfterEach
    void stop() throws Exception {
        second.close();
        receiver.stop();
        dynamoDb.close();
        s3.close();
    }

    @Test
    void theEventOfAKilledInstanceArrivesFromTheOtherOnce() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            receiver.delayEvents(0);
            PackagedApp first = new PackagedApp(environment, dataDir.resolve("first-" + trial + ".log"));
            first.start();
            byte[] file = TestFiles.randomBytes(10_000 + trial, 4_000 + trial);
            JsonNode started = first.call("POST", "/api/upload/init", Map.of("filename", "t" + trial + ".bin",
                    "file_type", "application/octet-stream", "file_size", file.length, "author_name", "Ada"), 201);
            String fileId = started.get("file_id").asText();
            String etag = PackagedApp.put(started.get("parts").get(0), file).etag();
            waitFor(() -> accepted(fileId, "upload.created") > 0, Duration.ofSeconds(15));
            // Slow answers from now on: the first instance's attempt is still on the wire when it is killed.
            receiver.delayEvents(1500);
            first.call("POST", "/api/upload/complete", Map.of("file_id", fileId, "parts",
                    List.of(Map.of("part_number", 1, "etag", etag))), 200);
            first.kill();
            Instant killed = Instant.now();

            waitFor(() -> accepted(fileId, "upload.completed") > 0, Duration.ofSeconds(20));
            // The killed instance's attempt (if it left at all) was recorded at most 1.5 s after the kill: a delivery
            // recorded later came from the other instance, once the killed one's claim ran out.
            waitFor(() -> received(fileId, "upload.completed").stream()
                    .anyMatch(request -> request.at().isAfter(killed.plusSeconds(2))), Duration.ofSeconds(20));
            Set<String> ids = received(fileId, "upload.completed").stream().map(Received::id)
                    .collect(Collectors.toSet());
            assertThat(ids).as("trial %d: one webhook-id however often it came", trial).hasSize(1);

            assertThat(second.call("GET", "/api/upload/" + fileId, null, 200).get("upload_status").asText())
                    .isEqualTo("uploaded");
        }
    }

    private long accepted(String fileId, String type) {
        return received(fileId, type).stream().filter(Received::accepted).count();
    }

    private List<Received> received(String fileId, String type) {
        return receiver.received("/events").stream().filter(request -> {
            try {
                JsonNode body = JSON.readTree(request.body());
                return body.get("type").asText().equals(type)
                        && body.get("data").get("file_id").asText().equals(fileId);
            } catch (Exception notJson) {
                return false;
            }
        }).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration limit) throws Exception {
        Instant until = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited %s", limit).isBefore(until);
            Thread.sleep(100);
        }
    }
}
