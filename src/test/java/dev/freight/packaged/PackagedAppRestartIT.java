package dev.freight.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
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
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dataDir;
    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;
    private Process app;
    private int port;

    @BeforeEach
    void startStorage() throws Exception {
        dataDir = Files.createTempDirectory("freight-packaged");
        s3 = EmbeddedS3.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
        dynamoDb = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"), 0);
        port = freePort();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (app != null) {
            app.destroyForcibly().waitFor();
        }
        dynamoDb.close();
        s3.close();
    }

    @Test
    void anUploadSurvivesAKilledInstance() throws Exception {
        byte[] file = TestFiles.randomBytes(2 * PART_SIZE + 1234, 80);
        startApp();
        JsonNode started = call("POST", "/api/upload/init", Map.of("filename", "survivor.bin",
                "file_type", "application/octet-stream", "file_size", file.length, "part_size", PART_SIZE,
                "author_name", "Ada"), 201);
        String fileId = started.get("file_id").asText();
        assertThat(put(started.get("parts").get(0).get("url").asText(), TestFiles.part(file, PART_SIZE, 1)).statusCode())
                .isEqualTo(200);

        app.destroyForcibly().waitFor();
        startApp();

        JsonNode status = call("GET", "/api/upload/" + fileId, null, 200);
        assertThat(status.get("upload_status").asText()).isEqualTo("uploading");
        assertThat(status.get("uploaded_parts").findValuesAsText("part_number")).containsExactly("1");
        JsonNode missing = call("POST", "/api/upload/refresh_urls", Map.of("file_id", fileId), 200);
        assertThat(missing.get("parts").findValuesAsText("part_number")).containsExactly("2", "3");
        for (JsonNode part : missing.get("parts")) {
            int partNumber = part.get("part_number").asInt();
            assertThat(put(part.get("url").asText(), TestFiles.part(file, PART_SIZE, partNumber)).statusCode())
                    .isEqualTo(200);
        }
        JsonNode held = call("GET", "/api/upload/" + fileId, null, 200).get("uploaded_parts");
        List<Map<String, Object>> parts = new java.util.ArrayList<>();
        for (JsonNode part : held) {
            parts.add(Map.of("part_number", part.get("part_number").asInt(), "etag", part.get("etag").asText()));
        }
        JsonNode done = call("POST", "/api/upload/complete", Map.of("file_id", fileId, "parts", parts), 200);
        assertThat(done.get("upload_status").asText()).isEqualTo("uploaded");

        String url = call("GET", "/api/download/" + fileId, null, 200).get("url").asText();
        HttpResponse<byte[]> downloaded = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(TestFiles.sha256Hex(downloaded.body())).isEqualTo(TestFiles.sha256Hex(file));
    }

    private void startApp() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("run after `package`: failsafe does").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("app.log").toFile());
        builder.environment().putAll(PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(),
                ACCESS_KEY, SECRET_KEY, port));
        app = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("app exited; see " + dataDir.resolve("app.log")).isTrue();
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/api/upload?author_name=probe"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("app did not answer within 60 s: " + Files.readString(dataDir.resolve("app.log")));
    }

    private JsonNode call(String method, String path, Object body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expectedStatus);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<Void> put(String url, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
