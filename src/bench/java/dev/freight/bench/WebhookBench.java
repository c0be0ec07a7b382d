package dev.freight.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * Upload flows per second (init, one 64 KiB part PUT to its presigned URL, complete) from concurrent clients
 * against the packaged app, with webhooks off and then on (every event to one receiver on this machine), and the
 * delivery latency from the state change (the event's {@code timestamp}) to the receiver's 2xx. Run with
 * {@code bench/webhooks.sh}; prints the numbers (docs/BENCHMARKS.md, "Webhooks").
 */
public final class WebhookBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "webhookbench";
    private static final String SECRET = "webhookbenchsecret";

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("freight.bench.clients", 8);
        Duration length = Duration.ofSeconds(Long.getLong("freight.bench.seconds", 20));
        Path data = Files.createTempDirectory("freight-webhook-bench");
        try (EmbeddedS3 s3 = EmbeddedS3.start(data.resolve("s3"), 0, KEY, SECRET, List.of());
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(data.resolve("dynamodb"), 0)) {
            Map<String, String> base = PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(), KEY,
                    SECRET, 0);
            base = new HashMap<>(base);
            base.put("FREIGHT_AUTH_ENABLED", "false");
            double off = 0;
            double on = 0;
            List<Long> latencies = List.of();
            for (int round = 0; round < 2; round++) {
                off = Math.max(off, flowsPerSecond(base, data.resolve("off" + round + ".log"), clients, length));
                WebhookReceiver receiver = WebhookReceiver.standalone();
                Map<String, String> withEvents = new HashMap<>(base);
                withEvents.put("FREIGHT_WEBHOOKS_ENDPOINTS_BENCH_URL", receiver.url("/events"));
                withEvents.put("FREIGHT_WEBHOOKS_ENDPOINTS_BENCH_SECRETS", "whsec_" + java.util.Base64.getEncoder()
                        .encodeToString("webhook-bench-secret-of-32-bytes-long".getBytes()));
                on = Math.max(on, flowsPerSecond(withEvents, data.resolve("on" + round + ".log"), clients, length));
                Thread.sleep(2000); // the last deliveries
                latencies = latencies(receiver.received("/events"));
                receiver.stop();
            }
            System.out.printf("webhooks: %d clients, %d s per run, best of 2 runs%n", clients, length.toSeconds());
            System.out.printf("flows/s events off: %.1f%n", off);
            System.out.printf("flows/s events on:  %.1f (%.1f %%)%n", on, (on / off - 1) * 100);
            System.out.printf("delivery latency (%d events): p50 %d ms, p99 %d ms, max %d ms%n", latencies.size(),
                    percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0));
        }
    }

    private static double flowsPerSecond(Map<String, String> environment, Path log, int clients, Duration length)
            throws Exception {
        try (PackagedApp app = new PackagedApp(environment, log)) {
            app.start();
            HttpClient http = HttpClient.newHttpClient();
            byte[] part = TestFiles.randomBytes(64 * 1024, 1);
            // Warm-up: the JIT and the clients' connections.
            run(app, http, part, clients, Duration.ofSeconds(5));
            long flows = run(app, http, part, clients, length);
            return flows / (double) length.toSeconds();
        }
    }

    private static long run(PackagedApp app, HttpClient http, byte[] part, int clients, Duration length)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant until = Instant.now().plus(length);
        List<Future<Long>> done = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            done.add(pool.submit(() -> {
                long flows = 0;
                while (Instant.now().isBefore(until)) {
                    JsonNode started = app.call("POST", "/api/upload/init", Map.of("filename", "b.bin", "file_type",
                            "application/octet-stream", "file_size", part.length, "author_name", "Ada"), 201);
                    String etag = PackagedApp.put(started.get("parts").get(0), part).etag();
                    app.call("POST", "/api/upload/complete", Map.of("file_id", started.get("file_id").asText(),
                            "parts", List.of(Map.of("part_number", 1, "etag", etag))), 200);
                    flows++;
                }
                return flows;
            }));
        }
        long total = 0;
        for (Future<Long> client : done) {
            total += client.get();
        }
        pool.shutdown();
        return total;
    }

    /** Milliseconds from each event's state change to its first 2xx at the receiver. */
    private static List<Long> latencies(List<Received> received) throws Exception {
        Map<String, Long> firstAccepted = new HashMap<>();
        for (Received request : received) {
            if (!request.accepted() || firstAccepted.containsKey(request.id())) {
                continue;
            }
            Instant changed = Instant.parse(JSON.readTree(request.body()).get("timestamp").asText());
            firstAccepted.put(request.id(), Duration.between(changed, request.at()).toMillis());
        }
        return firstAccepted.values().stream().sorted().toList();
    }

    private static long percentile(List<Long> sorted, double share) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(share * sorted.size()) - 1));
    }

    private WebhookBench() {
    }
}
