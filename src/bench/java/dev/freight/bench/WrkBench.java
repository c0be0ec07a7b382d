package dev.freight.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The per-part signing path under wrk (8 connections, 2 threads), in one session: {@code GET /q/health/live} on
 * the management port (what the HTTP stack alone serves), {@code refresh_urls} of one checksum-bound part with the upload's
 * {@code upload_token}, and the same without it (the record is read first). Also the service's CPU per part URL.
 * With an {@code Authorization} header, every API call carries it (an instance with authentication on).
 */
final class WrkBench {

    /** One wrk run: requests per second, latency percentiles (ms), service CPU microseconds per request. */
    record Result(double requestsPerSecond, double p50Ms, double p99Ms, double cpuMicrosPerRequest, long errors) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");

    private final URI app;
    /** The management interface, where the liveness probe is. */
    private final URI management;
    private final long servicePid;
    private final Path work;
    /** The {@code Authorization} header every API call carries, or null when the app runs without authentication. */
    private final String authorization;
    private final HttpClient http = HttpClient.newHttpClient();

    WrkBench(URI app, URI management, long servicePid, Path work, String authorization) {
        this.app = app;
        this.management = management;
        this.servicePid = servicePid;
        this.work = work;
        this.authorization = authorization;
    }

    /** Runs each target {@code rounds} times, alternating, {@code seconds} each; the runs per target. */
    Map<String, List<Result>> run(int rounds, int seconds) throws Exception {
        JsonNode init = post("/api/upload/init", Map.of("filename", "wrk.bin", "file_type", "application/octet-stream",
                "file_size", 64L << 20, "part_size", 16L << 20, "author_name", "bench", "checksum_algorithm",
                "SHA256"));
        String fileId = init.get("file_id").asText();
        String digest = Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, Object> part = Map.of("part_number", 2, "checksum_sha256", digest);
        String withToken = JSON.writeValueAsString(Map.of("file_id", fileId, "upload_token",
                init.get("upload_token").asText(), "parts", List.of(part)));
        String withoutToken = JSON.writeValueAsString(Map.of("file_id", fileId, "parts", List.of(part)));
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("health", null);
        scripts.put("token", withToken);
        scripts.put("no token", withoutToken);
        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, String> target : scripts.entrySet()) {
                results.computeIfAbsent(target.getKey(), key -> new ArrayList<>())
                        .add(wrk(target.getValue(), seconds));
            }
        }
        post("/api/upload/abort", Map.of("file_id", fileId));
        return results;
    }

    private Result wrk(String refreshBody, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c8", "-d" + seconds + "s", "--latency"));
        String url = management.resolve("/q/health/live").toString();
        if (refreshBody != null) {
            Path script = work.resolve("refresh.lua");
            Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + (authorization == null ? "" : "wrk.headers[\"Authorization\"] = \"" + authorization + "\"\n")
                    + "wrk.body = [[" + refreshBody + "]]\n");
            command.addAll(List.of("-s", script.toString()));
            url = app.resolve("/api/upload/refresh_urls").toString();
        }
        command.add(url);
        ProcStats before = ProcStats.of(servicePid);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        double cpu = ProcStats.of(servicePid).minus(before).cpuSeconds();
        long requests = Long.parseLong(group(REQUESTS, output, "0"));
        return new Result(Double.parseDouble(group(RPS, output, "0")), latency(output, "50%"), latency(output, "99%"),
                requests == 0 ? Double.NaN : cpu * 1e6 / requests, Long.parseLong(group(ERRORS, output, "0")));
    }

    private static String group(Pattern pattern, String text, String otherwise) {
        Matcher match = pattern.matcher(text);
        return match.find() ? match.group(1) : otherwise;
    }

    /** A wrk latency percentile line ("  99%   12.34ms") in milliseconds. */
    private static double latency(String output, String percentile) {
        Matcher match = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!match.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(match.group(1));
        return switch (match.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
    }
}
