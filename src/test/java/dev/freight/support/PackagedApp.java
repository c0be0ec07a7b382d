package dev.freight.support;

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
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged app ({@code target/quarkus-app}) as a user runs it: a separate process configured only through
 * environment variables, called over real HTTP with the JSON of docs/api.md.
 */
public final class PackagedApp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private Process process;

    /** @param environment the app's environment without its port, which is chosen here */
    public PackagedApp(Map<String, String> environment, Path log) throws IOException {
        this.port = freePort();
        this.environment = new java.util.HashMap<>(environment);
        this.environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        this.log = log;
    }

    public int port() {
        return port;
    }

    /** Starts the process and waits until the API answers. */
    public void start() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("run after `package`: failsafe does").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("app exited; see " + log).isTrue();
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("app did not answer within 60 s: " + Files.readString(log));
    }

    /** Stops the process at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** Calls the API and checks the status; answers the JSON body (an empty object for 204). */
    public JsonNode call(String method, String path, Object body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expectedStatus);
        return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }

    /** PUTs a part to the URL an answer gave, with exactly the headers listed for it. */
    public static PartSender.Answer put(JsonNode partUrl, byte[] bytes) {
        Map<String, String> headers = JSON.convertValue(partUrl.get("headers"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        return PartSender.put(partUrl.get("url").asText(), headers, bytes);
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
