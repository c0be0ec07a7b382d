package dev.freight.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.config.FreightConfig;
import dev.freight.support.TestFiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bounded load on loopback: concurrent clients each run whole flows (init, two part PUTs in parallel, complete,
 * download and verify) and the test prints requests per second and p50/p99 per endpoint; every request must
 * succeed. Then it opens {@code 10,000} unfinished uploads and prints the heap before and after (the service keeps
 * no per-upload state; what grows belongs to the in-process emulators).
 * Off in normal runs: {@code -Dloadtest=short} (CI) or {@code -Dloadtest=full}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "loadtest", matches = "short|full")
class LoadTest {

    private static final int PART_SIZE = 5 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    S3Client s3;

    @Inject
    FreightConfig config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final AtomicInteger errors = new AtomicInteger();

    @Test
    void concurrentFlowsSucceedAndOpenUploadsCostTheServiceNothing() throws Exception {
        boolean full = "full".equals(System.getProperty("loadtest"));
        int clients = full ? 32 : 8;
        int flows = full ? 400 : 40;
        int openUploads = full ? 10_000 : 2_000;
        byte[] file = TestFiles.randomBytes(PART_SIZE + 65_536, 99);

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long began = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int flow = 0; flow < flows; flow++) {
            running.add(pool.submit(() -> fullFlow(file)));
        }
        for (Future<?> flow : running) {
            flow.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("%nLOAD %d flows by %d clients in %.1f s (%.1f flows/s), errors %d%n", flows, clients, seconds,
                flows / seconds, errors.get());
        report(seconds);
        assertThat(errors.get()).isZero();

        long heapBefore = usedHeapAfterGc();
        running.clear();
        latencies.clear();
        began = System.nanoTime();
        for (int upload = 0; upload < openUploads; upload++) {
            running.add(pool.submit(() -> timed("init (no parts)", () -> post("/api/upload/init",
                    Map.of("filename", "open.bin", "file_type", "application/octet-stream", "file_size", 1L << 30,
                            "author_name", "load")))));
        }
        for (Future<?> init : running) {
            init.get();
        }
        seconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        report(seconds);
        long heapAfter = usedHeapAfterGc();
        System.out.printf("LOAD heap after GC: %d MiB before, %d MiB with %d more open uploads (%+d bytes per upload,"
                + " emulators included)%n", heapBefore >> 20, heapAfter >> 20, openUploads,
                (heapAfter - heapBefore) / openUploads);
        assertThat(errors.get()).isZero();
    }

    private void fullFlow(byte[] file) {
        try {
            JsonNode started = timed("init", () -> post("/api/upload/init", Map.of("filename", "load.bin",
                    "file_type", "application/octet-stream", "file_size", file.length, "part_size", PART_SIZE,
                    "author_name", "load")));
            String fileId = started.get("file_id").asText();
            List<Map<String, Object>> parts = Collections.synchronizedList(new ArrayList<>());
            Thread second = new Thread(() -> parts.add(putPart(started, 2, file)));
            second.start();
            parts.add(putPart(started, 1, file));
            second.join();
            parts.sort((a, b) -> Integer.compare((int) a.get("part_number"), (int) b.get("part_number")));
            timed("status", () -> get("/api/upload/" + fileId));
            timed("complete", () -> post("/api/upload/complete", Map.of("file_id", fileId, "parts", parts)));
            JsonNode download = timed("download", () -> get("/api/download/" + fileId));
            byte[] fetched = timed("GET object (storage)", () -> send(HttpRequest.newBuilder(
                    URI.create(download.get("url").asText())).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
            if (!TestFiles.sha256Hex(fetched).equals(TestFiles.sha256Hex(file))) {
                errors.incrementAndGet();
            }
            // Frees the in-memory store: the load is on the API, not on the emulator's heap.
            s3.deleteObject(request -> request.bucket(config.storage().bucket()).key(fileId));
        } catch (Exception failed) {
            errors.incrementAndGet();
            System.out.println("LOAD flow failed: " + failed);
        }
    }

    private Map<String, Object> putPart(JsonNode started, int partNumber, byte[] file) {
        JsonNode part = started.get("parts").get(partNumber - 1);
        byte[] bytes = TestFiles.part(file, PART_SIZE, partNumber);
        HttpResponse<Void> answer = timed("PUT part (storage)", () -> http.send(HttpRequest
                .newBuilder(URI.create(part.get("url").asText())).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding()));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("part PUT answered " + answer.statusCode());
        }
        return Map.of("part_number", partNumber, "etag", answer.headers().firstValue("ETag").orElseThrow());
    }

    private JsonNode post(String path, Object body) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(base.toURI().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(base.toURI().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    }

    private byte[] send(HttpRequest request, HttpResponse.BodyHandler<byte[]> handler) throws Exception {
        HttpResponse<byte[]> response = http.send(request, handler);
        if (response.statusCode() >= 300) {
            errors.incrementAndGet();
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode());
        }
        return response.body();
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T timed(String endpoint, Call<T> call) {
        long started = System.nanoTime();
        try {
            return call.run();
        } catch (Exception failed) {
            errors.incrementAndGet();
            throw new IllegalStateException(failed);
        } finally {
            latencies.computeIfAbsent(endpoint, name -> Collections.synchronizedList(new ArrayList<>()))
                    .add(System.nanoTime() - started);
        }
    }

    private void report(double seconds) {
        latencies.forEach((endpoint, samples) -> {
            List<Long> sorted = new ArrayList<>(samples);
            Collections.sort(sorted);
            System.out.printf("LOAD %-22s %6d requests %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms%n", endpoint,
                    sorted.size(), sorted.size() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
        });
    }

    private static double percentile(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
