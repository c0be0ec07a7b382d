package dev.freight.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Latency of the four API calls under a steady closed-loop load, and of the same storage calls made directly with
 * the SDK from this process: the service's own overhead is the ratio of the two. Each client thread repeats one
 * cycle: init of a one-byte file, refresh_urls of 100 parts of a 128-part upload it opened at the start, PUT of the
 * byte (not timed), status, complete.
 */
final class LatencyBench {

    static final List<String> OPERATIONS = List.of("init", "refresh_urls (100 parts)", "status", "complete");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI app;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final DynamoDbClient dynamoDb;
    private final String bucket;
    private final String table;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    LatencyBench(URI app, S3Client s3, S3Presigner presigner, DynamoDbClient dynamoDb, String bucket, String table) {
        this.app = app;
        this.s3 = s3;
        this.presigner = presigner;
        this.dynamoDb = dynamoDb;
        this.bucket = bucket;
        this.table = table;
    }

    /** Latencies in milliseconds per operation. */
    Map<String, List<Double>> run(boolean viaService, int threads, Duration warmup, Duration measure)
            throws Exception {
        Map<String, List<Double>> samples = new ConcurrentHashMap<>();
        OPERATIONS.forEach(op -> samples.put(op, Collections.synchronizedList(new ArrayList<>())));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long recordFrom = start + warmup.toNanos();
        long stopAt = recordFrom + measure.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                Cycle cycle = viaService ? new ServiceCycle() : new DirectCycle();
                cycle.openBigUpload();
                while (System.nanoTime() < stopAt) {
                    Map<String, Double> timings = cycle.once();
                    if (System.nanoTime() > recordFrom) {
                        timings.forEach((op, ms) -> samples.get(op).add(ms));
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return samples;
    }

    private interface Cycle {
        void openBigUpload() throws Exception;

        Map<String, Double> once() throws Exception;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T timed(Map<String, Double> timings, String op, Call<T> call) throws Exception {
        long began = System.nanoTime();
        T result = call.call();
        timings.put(op, (System.nanoTime() - began) / 1e6);
        return result;
    }

    private final class ServiceCycle implements Cycle {
        private String bigFileId;

        public void openBigUpload() throws Exception {
            bigFileId = send("POST", "/api/upload/init", Map.of("filename", "big.bin", "file_type",
                    "application/octet-stream", "file_size", 128L << 24, "part_size", 1L << 24, "author_name",
                    "bench")).get("file_id").asText();
        }

        public Map<String, Double> once() throws Exception {
            Map<String, Double> timings = new HashMap<>();
            JsonNode init = timed(timings, "init", () -> send("POST", "/api/upload/init", Map.of("filename",
                    "small.bin", "file_type", "application/octet-stream", "file_size", 1, "author_name", "bench")));
            String fileId = init.get("file_id").asText();
            List<Map<String, Object>> wanted = new ArrayList<>();
            for (int n = 1; n <= 100; n++) {
                wanted.add(Map.of("part_number", n));
            }
            timed(timings, "refresh_urls (100 parts)", () -> send("POST", "/api/upload/refresh_urls",
                    Map.of("file_id", bigFileId, "parts", wanted)));
            String etag = putByte(URI.create(init.get("parts").get(0).get("url").asText()));
            timed(timings, "status", () -> send("GET", "/api/upload/" + fileId, null));
            timed(timings, "complete", () -> send("POST", "/api/upload/complete", Map.of("file_id", fileId,
                    "parts", List.of(Map.of("part_number", 1, "etag", etag)))));
            s3.deleteObject(delete -> delete.bucket(bucket).key(fileId));
            return timings;
        }
    }

    /** The calls the service makes for each operation, in the same order, without the service. */
    private final class DirectCycle implements Cycle {
        private String bigKey;
        private String bigUploadId;

        public void openBigUpload() {
            bigKey = "direct-" + UUID.randomUUID();
            bigUploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(bigKey)).uploadId();
            dynamoDb.putItem(put -> put.tableName(table).item(item(bigKey, bigUploadId, 128L << 24, 128, 1)));
        }

        public Map<String, Double> once() throws Exception {
            Map<String, Double> timings = new HashMap<>();
            String key = "direct-" + UUID.randomUUID();
            // init: CreateMultipartUpload, conditional PutItem, sign the first (only) part.
            String uploadId = timed(timings, "init", () -> {
                String id = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)
                        .contentType("application/octet-stream")).uploadId();
                dynamoDb.putItem(put -> put.tableName(table).item(item(key, id, 1, 1, 1))
                        .conditionExpression("attribute_not_exists(file_id)"));
                return id;
            });
            URI partUrl = URI.create(presign(key, uploadId, 1));
            // refresh_urls: read the record (ownership, state), sign 100 parts.
            timed(timings, "refresh_urls (100 parts)", () -> {
                getItem(bigKey);
                for (int n = 1; n <= 100; n++) {
                    presign(bigKey, bigUploadId, n);
                }
                return null;
            });
            String etag = putByte(partUrl);
            // status: read the record, list the parts storage holds.
            timed(timings, "status", () -> {
                getItem(key);
                return s3.listParts(list -> list.bucket(bucket).key(key).uploadId(uploadId)).parts();
            });
            // complete: read the record, list parts, assemble, conditional PutItem of the new state.
            timed(timings, "complete", () -> {
                getItem(key);
                List<Part> parts = s3.listParts(list -> list.bucket(bucket).key(key).uploadId(uploadId)).parts();
                if (parts.size() != 1 || !parts.get(0).eTag().equals(etag)) {
                    throw new IllegalStateException("unexpected parts " + parts);
                }
                s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(upload -> upload.parts(CompletedPart.builder().partNumber(1).eTag(etag)
                                .build())));
                Map<String, AttributeValue> done = item(key, uploadId, 1, 1, 2);
                done.put("upload_status", AttributeValue.fromS("uploaded"));
                done.put("etag", AttributeValue.fromS(etag));
                dynamoDb.putItem(put -> put.tableName(table).item(done).conditionExpression("version = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1"))));
                return null;
            });
            s3.deleteObject(delete -> delete.bucket(bucket).key(key));
            return timings;
        }

        private void getItem(String key) {
            dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                    .key(Map.of("file_id", AttributeValue.fromS(key))));
        }

        private String presign(String key, String uploadId, int partNumber) {
            return presigner.presignUploadPart(presign -> presign.signatureDuration(Duration.ofHours(1))
                    .uploadPartRequest(part -> part.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber))).url().toString();
        }

        /** An item shaped like the service's (same attributes and index keys), so writes cost the same. */
        private Map<String, AttributeValue> item(String key, String uploadId, long size, int parts, int version) {
            Instant now = Instant.now();
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("file_id", AttributeValue.fromS(key));
            item.put("owner", AttributeValue.fromS("anonymous"));
            item.put("filename", AttributeValue.fromS("small.bin"));
            item.put("file_type", AttributeValue.fromS("application/octet-stream"));
            item.put("file_size", AttributeValue.fromN(Long.toString(size)));
            item.put("author_name", AttributeValue.fromS("bench"));
            item.put("created_at", AttributeValue.fromS(now.toString()));
            item.put("initiated_at", AttributeValue.fromS(now.toString()));
            item.put("upload_id", AttributeValue.fromS(uploadId));
            item.put("object_key", AttributeValue.fromS(key));
            item.put("part_size", AttributeValue.fromN(Long.toString(Math.max(size, 1L << 24))));
            item.put("part_count", AttributeValue.fromN(Integer.toString(parts)));
            item.put("upload_status", AttributeValue.fromS("uploading"));
            item.put("resumable_until", AttributeValue.fromS(now.plus(Duration.ofDays(7)).toString()));
            item.put("expires_at", AttributeValue.fromN(Long.toString(now.plus(Duration.ofDays(8)).getEpochSecond())));
            item.put("version", AttributeValue.fromN(Integer.toString(version)));
            return item;
        }
    }

    private String putByte(URI url) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {42})).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("PUT answered " + answer.statusCode());
        }
        return answer.headers().firstValue("ETag").orElseThrow();
    }

    private JsonNode send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.resolve(path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + " "
                    + answer.body());
        }
        return JSON.readTree(answer.body());
    }
}
