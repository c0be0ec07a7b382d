package dev.freight.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;

/**
 * The training run behind the JDK's ahead-of-time cache (Maven profile {@code aot}, after {@code package}): starts
 * S3Proxy and Freight's DynamoDB engine in this JVM, runs the packaged app once as {@code Dockerfile.jvm} does but
 * with {@code -XX:AOTCacheOutput=app.aot} instead of {@code -XX:AOTCache=app.aot}, sends what an instance sees in its
 * first seconds (probes, a listing, an upload started, looked at and aborted, refused requests), stops it with
 * SIGTERM and checks that the JVM wrote the cache. The JVM options come from {@code src/main/docker/jvm.args}, copied
 * next to the jar, so training and every later start use the same ones (the cache is specific to them and to the JDK).
 * <p>
 * Arguments: the app directory ({@code target/quarkus-app}), the JDK 25+ home to train with, the options file.
 */
public final class AotCacheTraining {

    private static final String ACCESS_KEY = "freighttraining";
    private static final String SECRET_KEY = "freighttrainingsecret";
    static final String CACHE = "app.aot";
    static final String ARGS_FILE = "jvm.args";

    private AotCacheTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path appDir = Path.of(args[0]).toAbsolutePath();
        Path java = Path.of(args[1], "bin", "java");
        Path options = Path.of(args[2]);
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no JDK at " + args[1] + ": set -Daot.java.home to a JDK 25 or newer");
        }
        Files.copy(options, appDir.resolve(ARGS_FILE), StandardCopyOption.REPLACE_EXISTING);
        Path cache = appDir.resolve(CACHE);
        Files.deleteIfExists(cache);
        List<String> command = new ArrayList<>(List.of(java.toString()));
        for (String option : Files.readAllLines(options, StandardCharsets.UTF_8)) {
            if (!option.isBlank() && !option.strip().startsWith("#")) {
                command.add(option.strip().replace("-XX:AOTCache=", "-XX:AOTCacheOutput="));
            }
        }
        if (!command.contains("-XX:AOTCacheOutput=" + CACHE)) {
            throw new IllegalStateException(options + " must name -XX:AOTCache=" + CACHE);
        }
        command.addAll(List.of("-jar", "quarkus-run.jar"));

        Path work = Files.createTempDirectory("freight-aot-training");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = work.resolve("app.log");
        try (EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(null, 0)) {
            Map<String, String> environment = PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(),
                    ACCESS_KEY, SECRET_KEY, port);
            // Production finds its bucket and table (provisioning off, the default): a start of its own creates them,
            // so that the classes only provisioning uses (table creation, waiters, ~10 % of the cache) stay out of it.
            List<String> provisioning = new ArrayList<>(command);
            provisioning.removeIf(option -> option.startsWith("-XX:AOTCacheOutput="));
            runUntilReady(provisioning, appDir, environment, port, log);
            environment.put("FREIGHT_STORAGE_PROVISION", "false");
            System.out.println("[aot] training: " + String.join(" ", command));
            Process app = start(command, appDir, environment, log);
            try {
                new Workload(URI.create("http://127.0.0.1:" + port), management(environment), app, log).run();
            } finally {
                // SIGTERM: the JVM writes the cache on its way out (JDK 25 assembles it in a child JVM).
                app.destroy();
                if (!app.waitFor(5, TimeUnit.MINUTES)) {
                    app.destroyForcibly();
                    throw new IllegalStateException("the training run did not exit; see " + log);
                }
            }
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            throw new IllegalStateException("the JVM wrote no " + cache + "; its output:\n" + Files.readString(log));
        }
        System.out.printf("[aot] %s: %d MiB, trained with %s%n", cache, Files.size(cache) >> 20, java);
        System.exit(0);
    }

    /** Starts the app with {@code command}, waits for its readiness, and stops it. */
    private static void runUntilReady(List<String> command, Path appDir, Map<String, String> environment, int port,
            Path log) throws Exception {
        Process app = start(command, appDir, environment, log);
        try {
            new Workload(URI.create("http://127.0.0.1:" + port), management(environment), app, log).awaitReady();
        } finally {
            app.destroy();
            if (!app.waitFor(1, TimeUnit.MINUTES)) {
                app.destroyForcibly();
            }
        }
    }

    private static Process start(List<String> command, Path appDir, Map<String, String> environment, Path log)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(appDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static URI management(Map<String, String> environment) {
        return URI.create("http://127.0.0.1:" + PackagedAppEnvironment.managementPort(environment));
    }

    /**
     * What an instance sees in its first seconds, in the order an orchestrator and a client send it: the probes on
     * the management port ({@code management}), the API on {@code base}.
     */
    private record Workload(URI base, URI management, Process app, Path log) {

        // HTTP/1.1 as orchestrators' probes and load balancers send: the default (HTTP/2) asks for an h2c upgrade,
        // which would put ~190 Netty HTTP/2 classes in the cache and load them at every start for nobody.
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (status("GET", "/q/health/ready", null) != 200) {
                if (!app.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the app did not get ready; see " + log);
                }
                Thread.sleep(50);
            }
        }

        void run() throws Exception {
            awaitReady();
            for (int round = 0; round < 3; round++) {
                expect(200, "GET", "/q/health/started", null);
                expect(200, "GET", "/q/health/live", null);
                expect(200, "GET", "/q/health/ready", null);
                expect(200, "GET", "/api/upload?author_name=training&limit=5", null);
                String created = body("POST", "/api/upload/init", "{\"filename\":\"training.bin\","
                        + "\"file_type\":\"application/octet-stream\",\"file_size\":20000000,"
                        + "\"author_name\":\"training\"}", 201);
                String fileId = created.replaceAll("(?s).*\"file_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                expect(200, "GET", "/api/upload/" + fileId, null);
                expect(200, "POST", "/api/upload/refresh_urls", "{\"file_id\":\"" + fileId + "\"}");
                expect(204, "POST", "/api/upload/abort", "{\"file_id\":\"" + fileId + "\"}");
                expect(400, "POST", "/api/upload/init", "{\"filename\":\"\"}");
                expect(404, "GET", "/api/upload/00000000-0000-4000-8000-000000000000", null);
                expect(200, "GET", "/", null);
            }
        }

        private void expect(int expected, String method, String path, String json) throws Exception {
            body(method, path, json, expected);
        }

        private String body(String method, String path, String json, int expected) throws Exception {
            HttpResponse<String> answer = send(method, path, json);
            if (answer.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ", not "
                        + expected + ": " + answer.body());
            }
            return answer.body();
        }

        private int status(String method, String path, String json) throws InterruptedException {
            try {
                return send(method, path, json).statusCode();
            } catch (IOException notListeningYet) {
                return -1;
            }
        }

        private HttpResponse<String> send(String method, String path, String json)
                throws IOException, InterruptedException {
            URI server = path.startsWith("/q/health") ? management : base;
            HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(10));
            if (json == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json));
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
