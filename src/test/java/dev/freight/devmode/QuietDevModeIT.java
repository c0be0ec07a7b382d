package dev.freight.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * README's first command, {@code ./mvnw quarkus:dev}, as a newcomer runs it: in a fresh copy of the project (no
 * {@code .freight-dev} data, so the bucket and table are created), with the requests of a first look (the page, a
 * listing, an upload started and aborted, the probes). Its whole output, Maven's and the app's, must hold no ERROR or
 * WARN line, no stack trace and no library noise such as ANTLR's version lines. Runs in {@code verify} (a second
 * Maven with its own target directory, a few minutes), not in {@code test}.
 */
class QuietDevModeIT {

    /** What a newcomer should never see in a first start: levels, stack frames, exceptions, known noise. */
    private static final Pattern NOISE = Pattern.compile(
            "\\b(ERROR|WARN|WARNING|SEVERE)\\b|^\\s+at [\\w.$]+\\(|Exception\\b|Caused by|ANTLR|\\[Help \\d\\]");

    @Test
    void firstStartOfDevModeIsQuiet() throws Exception {
        Path copy = freshCopy();
        int port = freePort();
        int managementPort = freePort();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch listening = new CountDownLatch(1);
        String mvnw = Files.exists(copy.resolve("mvnw")) ? "./mvnw" : "mvnw";
        Process maven = new ProcessBuilder(mvnw, "-B", "quarkus:dev",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort,
                "-Dfreight.embedded.s3-port=" + freePort(),
                "-Dfreight.embedded.dynamodb-port=" + freePort(),
                // Beside another dev mode on the same machine: no debugger port (5005), no questions asked on
                // the console (the build-analytics prompt; a newcomer answers it once).
                "-Ddebug=false", "-Dquarkus.analytics.disabled=true", "-Dquarkus.console.enabled=false")
                .directory(copy.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(maven.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.contains("Listening on: http://localhost:" + port)) {
                        listening.countDown();
                    }
                }
            } catch (IOException closed) {
                // The process ended.
            }
        }, "quiet-dev-mode-output");
        reader.setDaemon(true);
        reader.start();
        List<String> seen;
        try {
            boolean started = false;
            while (!started && maven.isAlive()) {
                started = listening.await(1, TimeUnit.SECONDS);
            }
            assertThat(started).as("dev mode started; its output:%n%s", String.join("\n", lines)).isTrue();
            firstLook(URI.create("http://localhost:" + port), URI.create("http://localhost:" + managementPort));
            // Lines logged by the requests (and by anything the app does in its first seconds) are in by now.
            Thread.sleep(2_000);
            seen = List.copyOf(lines);
        } finally {
            stop(maven);
        }

        List<String> noise = seen.stream().filter(line -> NOISE.matcher(line).find()).toList();
        assertThat(noise).as("dev mode's first start printed:%n%s", String.join("\n", seen)).isEmpty();
        assertThat(seen).anyMatch(line -> line.contains("Created bucket"))
                .anyMatch(line -> line.contains("Creating table"))
                .anyMatch(line -> line.contains(" initiated: ")).anyMatch(line -> line.contains(" aborted"));
    }

    /**
     * The page, the probes (on the management port; none on the public one), a listing, an upload started and
     * aborted: each must answer as usual.
     */
    private static void firstLook(URI base, URI management) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThat(get(http, base.resolve("/")).statusCode()).isEqualTo(200);
        // The client package the page imports, served from its sources (ClientPackageSources).
        assertThat(get(http, base.resolve("/freight-client/v1/index.js")).body()).contains("export { createUploader");
        assertThat(get(http, management.resolve("/q/health/ready")).statusCode()).isEqualTo(200);
        assertThat(get(http, base.resolve("/q/health/ready")).statusCode()).isEqualTo(404);
        assertThat(get(http, base.resolve("/api/upload?author_name=newcomer")).body()).contains("\"uploads\"");
        HttpResponse<String> init = http.send(HttpRequest.newBuilder(base.resolve("/api/upload/init"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"first.bin\",\"file_type\":"
                        + "\"application/octet-stream\",\"file_size\":1000,\"author_name\":\"newcomer\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).as(init.body()).isEqualTo(201);
        String fileId = init.body().replaceAll("(?s).*\"file_id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> abort = http.send(HttpRequest.newBuilder(base.resolve("/api/upload/abort"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_id\":\"" + fileId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(abort.statusCode()).as(abort.body()).isEqualTo(204);
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The project as a fresh clone has it, minus the tests (dev mode compiles them too; they would only add time):
     * the POM, the Maven Wrapper, src/main and the client package's sources, in a directory of its own, so this Maven's target directory and
     * .freight-dev are not the running build's.
     */
    private static Path freshCopy() throws IOException {
        Path project = Path.of("").toAbsolutePath();
        Path copy = project.resolve("target/quiet-dev-mode");
        if (Files.exists(copy)) {
            try (Stream<Path> old = Files.walk(copy)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        for (String part : List.of("pom.xml", "mvnw", ".mvn", "src/main", "js/src", "js/package.json")) {
            Path from = project.resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                files.forEach(path -> {
                    Path to = copy.resolve(project.relativize(path).toString());
                    try {
                        if (Files.isDirectory(path)) {
                            Files.createDirectories(to);
                        } else {
                            Files.createDirectories(to.getParent());
                            Files.copy(path, to, StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    } catch (IOException failed) {
                        throw new UncheckedIOException(failed);
                    }
                });
            }
        }
        return copy;
    }

    /** Ends dev mode's JVM first (Maven then exits), then anything left of the process tree. */
    private static void stop(Process maven) throws InterruptedException {
        List<ProcessHandle> children = maven.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : children) {
            child.onExit().completeOnTimeout(child, 60, TimeUnit.SECONDS).join();
        }
        maven.destroy();
        if (!maven.waitFor(60, TimeUnit.SECONDS)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
