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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
import dev.freight.support.PackagedApp;
import dev.freight.support.PackagedAppEnvironment;
import dev.freight.support.TestFiles;

/**
 * The packaged app ({@code target/quarkus-app}) as a user runs it: a separate process configured only through
 * environment variables, against separately started S3- and DynamoDB-compatible servers. It is killed (SIGKILL)
 * mid-upload and started again; the upload resumes from storage alone and the file arrives intact.
 */
class PackagedAppRestartIT {

    private static final String ACCESS_KEY = "packagedtest";
    private static final String SECRET_KEY = "packagedtestsecret";
    private static final int PART_SIZE = 5 * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dataDir;
    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;
    private PackagedApp app;

    @BeforeEach
    void startStorage() throws Exception {
        dataDir = Files.createTempDirectory("freight-packaged");
        s3 = EmbeddedS3.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
        dynamoDb = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"), 0);
        app = new PackagedApp(PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(), ACCESS_KEY,
                SECRET_KEY, 0), dataDir.resolve("app.log"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        app.close();
        dynamoDb.close();
        s3.close();
    }

    @Test
    void anUploadSurvivesAKilledInstance() throws Exception {
        byte[] file = TestFiles.randomBytes(2 * PART_SIZE + 1234, 80);
        app.start();
        JsonNode started = app.call("POST", "/api/upload/init", Map.of("filename", "survivor.bin",
                "file_type", "application/octet-stream", "file_size", file.length, "part_size", PART_SIZE,
                "author_name", "Ada"), 201);
        String fileId = started.get("file_id").asText();
        assertThat(PackagedApp.put(started.get("parts").get(0), TestFiles.part(file, PART_SIZE, 1)).status())
                .isEqualTo(200);

        app.kill();
        app.start();

        JsonNode status = app.call("GET", "/api/upload/" + fileId, null, 200);
        assertThat(status.get("upload_status").asText()).isEqualTo("uploading");
        assertThat(status.get("uploaded_parts").findValuesAsText("part_number")).containsExactly("1");
        JsonNode missing = app.call("POST", "/api/upload/refresh_urls", Map.of("file_id", fileId), 200);
        assertThat(missing.get("parts").findValuesAsText("part_number")).containsExactly("2", "3");
        for (JsonNode part : missing.get("parts")) {
            int partNumber = part.get("part_number").asInt();
            assertThat(PackagedApp.put(part, TestFiles.part(file, PART_SIZE, partNumber)).status()).isEqualTo(200);
        }
        JsonNode held = app.call("GET", "/api/upload/" + fileId, null, 200).get("uploaded_parts");
        List<Map<String, Object>> parts = new java.util.ArrayList<>();
        for (JsonNode part : held) {
            parts.add(Map.of("part_number", part.get("part_number").asInt(), "etag", part.get("etag").asText()));
        }
        JsonNode done = app.call("POST", "/api/upload/complete", Map.of("file_id", fileId, "parts", parts), 200);
        assertThat(done.get("upload_status").asText()).isEqualTo("uploaded");

        String url = app.call("GET", "/api/download/" + fileId, null, 200).get("url").asText();
        HttpResponse<byte[]> downloaded = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(TestFiles.sha256Hex(downloaded.body())).isEqualTo(TestFiles.sha256Hex(file));
    }
}
