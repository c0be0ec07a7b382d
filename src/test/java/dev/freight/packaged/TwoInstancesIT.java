package dev.freight.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Two packaged instances on one storage, a client alternating between them: an idempotent init sent to both at
 * once, complete on one racing abort (or another complete) on the other, and an instance killed mid-complete.
 * After every trial the record agrees with storage: {@code uploaded} exactly when S3 holds the file (intact), never
 * a multipart upload left open, and no answer is ever a 5xx.
 * {@code -Dfreight.trials=1000} runs the full form (CI runs 20).
 */
class TwoInstancesIT {

    private static final String ACCESS_KEY = "twoinstances";
    private static final String SECRET_KEY = "twoinstancessecret";
    private static final String BUCKET = "freight-uploads";
    private static final int TRIALS = Integer.getInteger("freight.trials", 20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService racers = Executors.newFixedThreadPool(2);
    private Path dataDir;
    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;
    private S3Client storage;
    private PackagedApp first;
    private PackagedApp second;

    @BeforeEach
    void startStorageAndTwoInstances() throws Exception {
        dataDir = Files.createTempDirectory("freight-two-instances");
        s3 = EmbeddedS3.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
        dynamoDb = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"), 0);
        // One environment for both: the same storage and the same upload-token key, as a deployment has.
        Map<String, String> environment = PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(),
                ACCESS_KEY, SECRET_KEY, 0);
        first = new PackagedApp(environment, dataDir.resolve("first.log"));
        second = new PackagedApp(environment, dataDir.resolve("second.log"));
        first.start();
        second.start();
        storage = S3Client.builder().region(Region.US_EAST_1).endpointOverride(s3.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .forcePathStyle(true).build();
    }

    @AfterEach
    void stopEverything() throws Exception {
        racers.shutdownNow();
        storage.close();
        first.close();
        second.close();
        dynamoDb.close();
        s3.close();
    }

    @Test
    void racingCallsOnTwoInstancesAlwaysLeaveTheRecordAgreeingWithStorage() throws Exception {
        int uploaded = 0;
        int aborted = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            byte[] file = TestFiles.randomBytes(64 * 1024 + trial, 9_000 + trial);
            String key = "trial-" + trial + "-" + UUID.randomUUID();
            List<Answer> inits = race(() -> init(first, key, file.length), () -> init(second, key, file.length));
            assertThat(inits).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(201));
            String fileId = inits.get(0).json().get("file_id").asText();
            assertThat(inits.get(1).json().get("file_id").asText()).as("one upload per Idempotency-Key")
                    .isEqualTo(fileId);
            String etag = PackagedApp.put(inits.get(0).json().get("parts").get(0), file).etag();

            boolean againstAbort = trial % 2 == 0;
            List<Answer> raced = race(() -> complete(first, fileId, etag),
                    againstAbort ? () -> post(second, "/api/upload/abort", Map.of("file_id", fileId), null)
                            : () -> complete(second, fileId, etag));
            for (Answer answer : raced) {
                assertThat(answer.status()).as("trial " + trial + ": " + answer.body()).isIn(200, 202, 204, 409);
            }
            String status = finalStatus(trial % 3 == 0 ? first : second, fileId);
            // failed: an abort that removed the parts lost the record to a complete, which then found them gone.
            assertThat(status).as("trial " + trial).isIn("uploaded", "aborted", "failed");
            assertAgreesWithStorage(fileId, status, file);
            if (status.equals("uploaded")) {
                uploaded++;
            } else {
                aborted++;
            }
        }
        System.out.printf("TwoInstancesIT: %d trials, %d uploaded, %d aborted, 0 inconsistent%n", TRIALS, uploaded,
                aborted);
        assertThat(uploaded).as("every complete-against-complete trial uploads").isGreaterThanOrEqualTo(TRIALS / 2);
    }

    @Test
    void anInstanceKilledMidCompleteLeavesAnUploadTheOtherFinishes() throws Exception {
        byte[] file = TestFiles.randomBytes(6 * 1024 * 1024 + 17, 9_999);
        Answer started = init(first, "killed", file.length);
        String fileId = started.json().get("file_id").asText();
        JsonNode url = started.json().get("parts").get(0);
        List<Map<String, Object>> parts = List.of(Map.of("part_number", 1, "etag", PackagedApp.put(url, file).etag()));
        Future<Answer> dying = racers.submit(() -> post(first, "/api/upload/complete",
                Map.of("file_id", fileId, "parts", parts), null));
        Thread.sleep(5);
        first.kill();
        dying.cancel(true);

        Answer done = post(second, "/api/upload/complete", Map.of("file_id", fileId, "parts", parts), null);
        assertThat(done.status()).as(done.body()).isIn(200, 202);
        assertThat(finalStatus(second, fileId)).isEqualTo("uploaded");
        assertAgreesWithStorage(fileId, "uploaded", file);
    }

    private void assertAgreesWithStorage(String fileId, String status, byte[] file) {
        Optional<byte[]> object = object(fileId);
        boolean open = storage.listMultipartUploads(list -> list.bucket(BUCKET).prefix(fileId)).uploads().stream()
                .anyMatch(upload -> upload.key().equals(fileId));
        assertThat(open).as(fileId + " has no open multipart upload once " + status).isFalse();
        if (status.equals("uploaded")) {
            assertThat(object).as(fileId + " is uploaded: storage holds the file").isPresent();
            assertThat(TestFiles.sha256Hex(object.get())).isEqualTo(TestFiles.sha256Hex(file));
        } else {
            assertThat(object).as(fileId + " is " + status + ": storage holds no file").isEmpty();
        }
    }

    private Optional<byte[]> object(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = storage.getObjectAsBytes(get -> get.bucket(BUCKET).key(key));
            return Optional.of(bytes.asByteArray());
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        }
    }

    /** The status once no call is running: {@code completing} is polled until it ends. */
    private String finalStatus(PackagedApp app, String fileId) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            Answer status = get(app, "/api/upload/" + fileId);
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            String value = status.json().get("upload_status").asText();
            if (!value.equals("completing")) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(fileId + " stayed completing");
    }

    private Answer init(PackagedApp app, String idempotencyKey, long size) throws Exception {
        return post(app, "/api/upload/init", Map.of("filename", "race.bin", "file_type", "application/octet-stream",
                "file_size", size, "author_name", "Ada"), idempotencyKey);
    }

    private Answer complete(PackagedApp app, String fileId, String etag) throws Exception {
        return post(app, "/api/upload/complete", Map.of("file_id", fileId,
                "parts", List.of(Map.of("part_number", 1, "etag", etag))), null);
    }

    private Answer post(PackagedApp app, String path, Object body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private Answer get(PackagedApp app, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build());
    }

    private Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body());
    }

    /** Both calls started together, their answers in call order. */
    private List<Answer> race(Callable<Answer> one, Callable<Answer> other) throws Exception {
        Future<Answer> a = racers.submit(one);
        Future<Answer> b = racers.submit(other);
        return List.of(a.get(), b.get());
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (java.io.IOException unreadable) {
                throw new AssertionError(body, unreadable);
            }
        }
    }
}
