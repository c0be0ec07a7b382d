package dev.freight.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Uploads one file three ways to the same storage: Freight's flow (init, parallel PUTs of parts to presigned URLs,
 * complete), {@code aws s3 cp}, and one presigned PUT of the whole file. Each run reports seconds and what the
 * service and the storage process spent meanwhile.
 */
final class UploadBench {

    /**
     * One upload: its wall time, the service's and the storage's readings (deltas over the upload), the client's CPU
     * seconds (this JVM's own for the in-process clients, the reaped child's for {@code aws}), and for Freight's
     * flow the service's CPU seconds by kind of work ({@link ThreadCpu}; empty for the other methods).
     */
    record Run(double seconds, long bytes, ProcStats service, ProcStats storage, double clientCpuSeconds,
            Map<String, Double> serviceWork) {

        Run(double seconds, long bytes, ProcStats service, ProcStats storage, double clientCpuSeconds) {
            this(seconds, bytes, service, storage, clientCpuSeconds, Map.of());
        }

        double mibPerSecond() {
            return bytes / 1048576.0 / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI app;
    private final URI s3Endpoint;
    private final String accessKey;
    private final String secretKey;
    private final String bucket;
    private final long servicePid;
    private final long storagePid;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final Path workDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    UploadBench(URI app, URI s3Endpoint, String accessKey, String secretKey, String bucket, long servicePid,
            long storagePid, S3Client s3, S3Presigner presigner, Path workDir) {
        this.app = app;
        this.s3Endpoint = s3Endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.bucket = bucket;
        this.servicePid = servicePid;
        this.storagePid = storagePid;
        this.s3 = s3;
        this.presigner = presigner;
        this.workDir = workDir;
    }

    /** Freight's flow as a client runs it: init, URLs for parts beyond the first batch, parallel PUTs, complete. */
    Run freight(Path file, long partSize, int concurrency) throws Exception {
        long size = Files.size(file);
        ProcStats serviceBefore = ProcStats.of(servicePid);
        ThreadCpu serviceThreadsBefore = ThreadCpu.of(servicePid);
        ProcStats storageBefore = ProcStats.of(storagePid);
        double clientBefore = ProcStats.selfAndChildrenCpuSeconds();
        long began = System.nanoTime();
        JsonNode init = post("/api/upload/init", Map.of("filename", file.getFileName().toString(),
                "file_type", "application/octet-stream", "file_size", size, "part_size", partSize,
                "author_name", "bench"));
        String fileId = init.get("file_id").asText();
        int partCount = init.get("part_count").asInt();
        long actualPartSize = init.get("part_size").asLong();
        Map<Integer, JsonNode> urls = new TreeMap<>();
        init.get("parts").forEach(part -> urls.put(part.get("part_number").asInt(), part));
        for (int first = urls.size() + 1; first <= partCount; first += 100) {
            List<Map<String, Object>> wanted = new ArrayList<>();
            for (int n = first; n < first + 100 && n <= partCount; n++) {
                wanted.add(Map.of("part_number", n));
            }
            post("/api/upload/refresh_urls", Map.of("file_id", fileId, "parts", wanted))
                    .get("parts").forEach(part -> urls.put(part.get("part_number").asInt(), part));
        }
        String[] etags = new String[partCount + 1];
        AtomicInteger next = new AtomicInteger(1);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            running.add(workers.submit(() -> {
                try (RandomAccessFile source = new RandomAccessFile(file.toFile(), "r")) {
                    for (int n = next.getAndIncrement(); n <= partCount; n = next.getAndIncrement()) {
                        long offset = (n - 1) * actualPartSize;
                        byte[] bytes = new byte[(int) Math.min(actualPartSize, size - offset)];
                        source.seek(offset);
                        source.readFully(bytes);
                        JsonNode part = urls.get(n);
                        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
                        part.get("headers").fields().forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
                        HttpResponse<String> answer = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException("part " + n + " answered " + answer.statusCode());
                        }
                        etags[n] = answer.headers().firstValue("ETag").orElseThrow();
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            workers.shutdownNow();
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int n = 1; n <= partCount; n++) {
            parts.add(Map.of("part_number", n, "etag", etags[n]));
        }
        JsonNode done = post("/api/upload/complete", Map.of("file_id", fileId, "parts", parts));
        double seconds = (System.nanoTime() - began) / 1e9;
        Run run = new Run(seconds, size, ProcStats.of(servicePid).minus(serviceBefore),
                ProcStats.of(storagePid).minus(storageBefore),
                ProcStats.selfAndChildrenCpuSeconds() - clientBefore,
                ThreadCpu.of(servicePid).groupsSince(serviceThreadsBefore));
        if (!"uploaded".equals(done.get("upload_status").asText())) {
            throw new IllegalStateException("complete answered " + done);
        }
        // The object key is the file id; deleting keeps the temp disk from filling up over the sweep.
        s3.deleteObject(delete -> delete.bucket(bucket).key(fileId));
        return run;
    }

    /**
     * The plain script a client author writes against the API for checksum-bound parts: init with SHA256, then
     * {@code concurrency} workers that each read a part, hash it, sign its URL with its own {@code refresh_urls}
     * call and PUT it; complete names every part's ETag and checksum.
     */
    Run scriptFlow(Path file, long partSize, int concurrency) throws Exception {
        long size = Files.size(file);
        ProcStats serviceBefore = ProcStats.of(servicePid);
        ThreadCpu serviceThreadsBefore = ThreadCpu.of(servicePid);
        ProcStats storageBefore = ProcStats.of(storagePid);
        double clientBefore = ProcStats.selfAndChildrenCpuSeconds();
        long began = System.nanoTime();
        JsonNode init = post("/api/upload/init", Map.of("filename", file.getFileName().toString(),
                "file_type", "application/octet-stream", "file_size", size, "part_size", partSize,
                "author_name", "bench", "checksum_algorithm", "SHA256"));
        String fileId = init.get("file_id").asText();
        String token = init.path("upload_token").asText(null);
        int partCount = init.get("part_count").asInt();
        long actualPartSize = init.get("part_size").asLong();
        String[] etags = new String[partCount + 1];
        String[] checksums = new String[partCount + 1];
        AtomicInteger next = new AtomicInteger(1);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            running.add(workers.submit(() -> {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (RandomAccessFile source = new RandomAccessFile(file.toFile(), "r")) {
                    for (int n = next.getAndIncrement(); n <= partCount; n = next.getAndIncrement()) {
                        long offset = (n - 1) * actualPartSize;
                        byte[] bytes = new byte[(int) Math.min(actualPartSize, size - offset)];
                        source.seek(offset);
                        source.readFully(bytes);
                        String checksum = Base64.getEncoder().encodeToString(sha256.digest(bytes));
                        Map<String, Object> refresh = new java.util.HashMap<>(Map.of("file_id", fileId,
                                "parts", List.of(Map.of("part_number", n, "checksum_sha256", checksum))));
                        if (token != null) {
                            refresh.put("upload_token", token);
                        }
                        JsonNode part = post("/api/upload/refresh_urls", refresh).get("parts").get(0);
                        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
                        part.get("headers").fields().forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
                        HttpResponse<String> answer = sendRetryingDroppedConnections(put.build());
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException("part " + n + " answered " + answer.statusCode() + " "
                                    + answer.body());
                        }
                        etags[n] = answer.headers().firstValue("ETag").orElseThrow();
                        checksums[n] = checksum;
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            workers.shutdownNow();
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int n = 1; n <= partCount; n++) {
            parts.add(Map.of("part_number", n, "etag", etags[n], "checksum_sha256", checksums[n]));
        }
        JsonNode done = post("/api/upload/complete", Map.of("file_id", fileId, "parts", parts));
        double seconds = (System.nanoTime() - began) / 1e9;
        Run run = new Run(seconds, size, ProcStats.of(servicePid).minus(serviceBefore),
                ProcStats.of(storagePid).minus(storageBefore),
                ProcStats.selfAndChildrenCpuSeconds() - clientBefore,
                ThreadCpu.of(servicePid).groupsSince(serviceThreadsBefore));
        if (!"uploaded".equals(done.get("upload_status").asText())) {
            throw new IllegalStateException("complete answered " + done);
        }
        s3.deleteObject(delete -> delete.bucket(bucket).key(fileId));
        return run;
    }

    /**
     * A PUT as any client sends it: a connection storage dropped (under load, a pooled connection the storage closed
     * as idle) is tried again, twice at most; an answer, whatever it says, is returned.
     */
    private HttpResponse<String> sendRetryingDroppedConnections(HttpRequest request) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException dropped) {
                if (attempt == 3) {
                    throw dropped;
                }
                BenchSuite.log("script flow: " + dropped + "; sending the part again");
            }
        }
    }

    /**
     * The Java client library (client/library) as an app uses it: SHA256 upload, every part hashed and bound to its
     * digest, parts streamed from the file, resume state written after each part.
     */
    Run library(Path file, long partSize, int concurrency) throws Exception {
        dev.freight.client.FreightClient client = dev.freight.client.FreightClient.builder(app.toString())
                .stateStore(new dev.freight.client.FileStateStore(workDir.resolve("client-state").toFile())).build();
        ProcStats serviceBefore = ProcStats.of(servicePid);
        ProcStats storageBefore = ProcStats.of(storagePid);
        double clientBefore = ProcStats.selfAndChildrenCpuSeconds();
        long began = System.nanoTime();
        dev.freight.client.UploadResult result = client.upload(new dev.freight.client.FileSource(file.toFile()),
                dev.freight.client.UploadOptions.defaults().partSize(partSize).parallelism(concurrency)
                        .authorName("bench"));
        double seconds = (System.nanoTime() - began) / 1e9;
        Run run = new Run(seconds, Files.size(file), ProcStats.of(servicePid).minus(serviceBefore),
                ProcStats.of(storagePid).minus(storageBefore),
                ProcStats.selfAndChildrenCpuSeconds() - clientBefore);
        if (!"uploaded".equals(result.upload().uploadStatus())) {
            throw new IllegalStateException("library upload ended " + result.upload().uploadStatus());
        }
        s3.deleteObject(delete -> delete.bucket(bucket).key(result.fileId()));
        return run;
    }

    /** One presigned PUT of the whole file, signed by the SDK: the floor a client can reach with one stream. */
    Run singlePut(Path file) throws Exception {
        String key = "single-" + UUID.randomUUID();
        URI url = URI.create(presigner.presignPutObject(presign -> presign.signatureDuration(Duration.ofHours(1))
                .putObjectRequest(put -> put.bucket(bucket).key(key))).url().toString());
        ProcStats storageBefore = ProcStats.of(storagePid);
        ProcStats serviceBefore = ProcStats.of(servicePid);
        double clientBefore = ProcStats.selfAndChildrenCpuSeconds();
        long began = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - began) / 1e9;
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("single PUT answered " + answer.statusCode() + " " + answer.body());
        }
        Run run = new Run(seconds, Files.size(file), ProcStats.of(servicePid).minus(serviceBefore),
                ProcStats.of(storagePid).minus(storageBefore),
                ProcStats.selfAndChildrenCpuSeconds() - clientBefore);
        s3.deleteObject(delete -> delete.bucket(bucket).key(key));
        return run;
    }

    /**
     * {@code aws s3 cp} with a throwaway config: part size and concurrency as given, or the CLI's defaults
     * (8 MiB, 10) when {@code partSize} is 0. Its checksum default (CRC32 on every request) is switched to
     * "when required" in both cases, as Freight's flow sends none either.
     */
    Run awsCp(String aws, Path file, long partSize, int concurrency) throws Exception {
        Path config = workDir.resolve("aws-config-" + partSize + "-" + concurrency);
        StringBuilder text = new StringBuilder("[default]\nregion = us-east-1\n"
                + "request_checksum_calculation = when_required\nresponse_checksum_validation = when_required\n"
                + "s3 =\n  addressing_style = path\n");
        if (partSize > 0) {
            text.append("  multipart_threshold = ").append(partSize).append('\n')
                    .append("  multipart_chunksize = ").append(partSize).append('\n')
                    .append("  max_concurrent_requests = ").append(concurrency).append('\n');
        }
        Files.writeString(config, text.toString(), StandardCharsets.UTF_8);
        String key = "aws-" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(aws, "s3", "cp", "--no-progress", "--only-show-errors",
                "--endpoint-url", s3Endpoint.toString(), file.toString(), "s3://" + bucket + "/" + key)
                .redirectErrorStream(true).redirectOutput(workDir.resolve("aws.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        ProcStats storageBefore = ProcStats.of(storagePid);
        ProcStats serviceBefore = ProcStats.of(servicePid);
        double clientBefore = ProcStats.selfAndChildrenCpuSeconds();
        long began = System.nanoTime();
        int exit = builder.start().waitFor();
        double seconds = (System.nanoTime() - began) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("aws s3 cp exited " + exit + ": "
                    + Files.readString(workDir.resolve("aws.log")));
        }
        Run run = new Run(seconds, Files.size(file), ProcStats.of(servicePid).minus(serviceBefore),
                ProcStats.of(storagePid).minus(storageBefore),
                ProcStats.selfAndChildrenCpuSeconds() - clientBefore);
        s3.deleteObject(delete -> delete.bucket(bucket).key(key));
        return run;
    }

    long servicePid() {
        return servicePid;
    }

    long storagePid() {
        return storagePid;
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(app.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }
}
