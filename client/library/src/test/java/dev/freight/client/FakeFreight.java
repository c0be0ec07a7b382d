package dev.freight.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import dev.freight.client.internal.Digests;

/**
 * A Freight service and its storage in one MockWebServer, by docs/api.md: SHA256 uploads whose part URLs bind the
 * part's digest and size (storage answers 400 BadDigest for other bytes, 403 for an expired or tampered URL),
 * status from "storage", complete with the composite checksum, download by parts with ranges and digests. Knobs
 * inject the failures the client must survive. Thread-safe: parts arrive in parallel.
 */
final class FakeFreight extends Dispatcher implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static final class Upload {
        final String fileId = UUID.randomUUID().toString();
        final JsonNode init;
        final long size;
        final long partSize;
        final int partCount;
        final String token = UUID.randomUUID().toString();
        final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
        volatile String status = "uploading";
        volatile byte[] object;
        volatile String composite;

        Upload(JsonNode init, long partSize) {
            this.init = init;
            this.size = init.path("file_size").asLong();
            this.partSize = partSize;
            this.partCount = (int) Math.max(1, (size + partSize - 1) / partSize);
        }

        long partLength(int number) {
            return Math.min(partSize, size - (number - 1) * partSize);
        }
    }

    final MockWebServer server = new MockWebServer();
    final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    final AtomicInteger partPuts = new AtomicInteger();
    final AtomicInteger refreshCalls = new AtomicInteger();
    final AtomicInteger rangeGets = new AtomicInteger();
    final List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
    /** URLs signed from now on are already expired. */
    volatile boolean signExpired;
    /** The next N API calls answer 503 with Retry-After: 1. */
    final AtomicInteger unavailable = new AtomicInteger();
    /** Only these bearer tokens are accepted (null: no auth). */
    volatile java.util.Set<String> acceptedTokens;
    /** Flip a byte of the next N ranged GET answers. */
    final AtomicInteger corruptDownloads = new AtomicInteger();
    /** The service's own upper bound on part size. */
    volatile long maxPartSize = 5L * 1024 * 1024 * 1024;
    /** The next N part PUTs answer 403 "Request has expired" whatever their URL says. */
    final AtomicInteger expireNextPuts = new AtomicInteger();
    /** Storage's answers to the next part PUTs (status, S3 code), before anything else is checked. */
    final java.util.Queue<Object[]> nextPutAnswers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Storage holds back its answer to a stored part this long (a slow network after the body went out). */
    volatile long stallPutAnswersMillis;
    /** Ranged GETs starting at or after this offset are always corrupted. */
    volatile long corruptFrom = Long.MAX_VALUE;

    FakeFreight() throws IOException {
        server.setDispatcher(this);
        server.start();
    }

    String url() {
        String base = server.url("/").toString();
        return base.substring(0, base.length() - 1);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            String path = request.getRequestUrl().encodedPath();
            if (path.startsWith("/storage/")) {
                return storagePut(request, path);
            }
            if (path.startsWith("/object/")) {
                return objectGet(request, path);
            }
            String authorization = request.getHeader("Authorization");
            authorizations.add(authorization);
            if (acceptedTokens != null && (authorization == null
                    || !acceptedTokens.contains(authorization.substring("Bearer ".length())))) {
                return problem(401, "Unauthorized", "token missing or expired");
            }
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return problem(503, "Storage unavailable", "try later").setHeader("Retry-After", "1");
            }
            String method = request.getMethod();
            if (method.equals("POST") && path.equals("/api/upload/init")) {
                return init(JSON.readTree(request.getBody().readByteArray()));
            }
            if (method.equals("POST") && path.equals("/api/upload/refresh_urls")) {
                return refresh(JSON.readTree(request.getBody().readByteArray()));
            }
            if (method.equals("POST") && path.equals("/api/upload/complete")) {
                return complete(JSON.readTree(request.getBody().readByteArray()));
            }
            if (method.equals("POST") && path.equals("/api/upload/abort")) {
                Upload upload = uploads.get(JSON.readTree(request.getBody().readByteArray()).path("file_id").asText());
                if (upload == null) {
                    return problem(404, "Not found", "no such upload");
                }
                upload.status = "aborted";
                upload.parts.clear();
                return new MockResponse().setResponseCode(204);
            }
            if (method.equals("GET") && path.equals("/api/upload")) {
                return list(request.getRequestUrl());
            }
            if (method.equals("GET") && path.startsWith("/api/upload/")) {
                Upload upload = uploads.get(path.substring("/api/upload/".length()));
                return upload == null ? problem(404, "Not found", "no such upload") : json(200, status(upload));
            }
            if (method.equals("GET") && path.startsWith("/api/download/")) {
                return download(path.substring("/api/download/".length()), request.getRequestUrl());
            }
            return problem(404, "Not found", path);
        } catch (Exception bug) {
            return problem(500, "Fake failed", bug.toString());
        }
    }

    private MockResponse init(JsonNode body) {
        if (!"SHA256".equals(body.path("checksum_algorithm").asText())) {
            return problem(400, "Bad request", "this fake only does SHA256 uploads");
        }
        long partSize = Math.max(5L * 1024 * 1024, Math.min(maxPartSize, body.path("part_size").asLong(16 << 20)));
        Upload upload = new Upload(body, partSize);
        uploads.put(upload.fileId, upload);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("file_id", upload.fileId);
        answer.put("upload_id", "mpu-" + upload.fileId);
        answer.put("upload_status", "uploading");
        answer.put("part_size", upload.partSize);
        answer.put("part_count", upload.partCount);
        answer.put("checksum_algorithm", "SHA256");
        answer.put("upload_token", upload.token);
        ArrayNode parts = answer.putArray("parts");
        for (JsonNode part : body.path("parts")) {
            parts.add(partUrl(upload, part.path("part_number").asInt(), part.path("checksum_sha256").asText()));
        }
        return json(201, answer);
    }

    private MockResponse refresh(JsonNode body) {
        refreshCalls.incrementAndGet();
        Upload upload = uploads.get(body.path("file_id").asText());
        if (upload == null) {
            return problem(404, "Not found", "no such upload");
        }
        if (body.has("upload_token") && !upload.token.equals(body.path("upload_token").asText())) {
            return problem(400, "Bad upload token", "forged or expired");
        }
        if (!upload.status.equals("uploading")) {
            return problem(409, "Not uploading", upload.status);
        }
        ObjectNode answer = JSON.createObjectNode().put("file_id", upload.fileId);
        ArrayNode parts = answer.putArray("parts");
        for (JsonNode part : body.path("parts")) {
            if (!part.hasNonNull("checksum_sha256")) {
                return problem(400, "Bad request", "a SHA256 upload needs checksum_sha256 for every part");
            }
            parts.add(partUrl(upload, part.path("part_number").asInt(), part.path("checksum_sha256").asText()));
        }
        return json(200, answer);
    }

    private ObjectNode partUrl(Upload upload, int number, String digest) {
        long expires = signExpired ? Instant.now().minusSeconds(1).getEpochSecond()
                : Instant.now().plusSeconds(3600).getEpochSecond();
        HttpUrl url = server.url("/storage/" + upload.fileId + "/" + number).newBuilder()
                .addQueryParameter("checksum", digest).addQueryParameter("length", Long.toString(upload.partLength(number)))
                .addQueryParameter("expires", Long.toString(expires)).build();
        ObjectNode part = JSON.createObjectNode();
        part.put("part_number", number);
        part.put("size", upload.partLength(number));
        part.put("url", url.toString());
        part.put("expires_at", Instant.ofEpochSecond(expires).toString());
        part.putObject("headers").put("x-amz-checksum-sha256", digest);
        return part;
    }

    private MockResponse storagePut(RecordedRequest request, String path) throws Exception {
        String[] segments = path.split("/");
        Upload upload = uploads.get(segments[2]);
        int number = Integer.parseInt(segments[3]);
        HttpUrl url = request.getRequestUrl();
        byte[] body = request.getBody().readByteArray();
        if (upload == null || !upload.status.equals("uploading")) {
            return s3Error(404, "NoSuchUpload", "The specified upload does not exist.");
        }
        Object[] injected = nextPutAnswers.poll();
        if (injected != null) {
            return s3Error((Integer) injected[0], (String) injected[1], "injected");
        }
        if (Long.parseLong(url.queryParameter("expires")) < Instant.now().getEpochSecond()
                || expireNextPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return s3Error(403, "AccessDenied", "Request has expired");
        }
        String signed = url.queryParameter("checksum");
        if (!signed.equals(request.getHeader("x-amz-checksum-sha256"))) {
            return s3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
        }
        if (body.length != Long.parseLong(url.queryParameter("length"))) {
            return s3Error(403, "SignatureDoesNotMatch", "Content-Length does not match the signed one");
        }
        if (!signed.equals(sha256(body))) {
            return s3Error(400, "BadDigest", "The SHA256 you specified did not match the calculated checksum.");
        }
        upload.parts.put(number, body);
        partPuts.incrementAndGet();
        return new MockResponse().setResponseCode(200).setHeader("ETag", etag(body))
                .setHeader("x-amz-checksum-sha256", signed)
                .setHeadersDelay(stallPutAnswersMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private ObjectNode status(Upload upload) {
        ObjectNode status = JSON.createObjectNode();
        status.put("file_id", upload.fileId);
        status.put("filename", upload.init.path("filename").asText());
        status.put("file_type", upload.init.path("file_type").asText());
        status.put("file_size", upload.size);
        status.put("author_name", upload.init.path("author_name").asText("anonymous"));
        status.put("upload_status", upload.status);
        status.put("part_size", upload.partSize);
        status.put("part_count", upload.partCount);
        status.put("checksum_algorithm", "SHA256");
        status.put("upload_token", upload.token);
        ArrayNode held = status.putArray("uploaded_parts");
        long bytes = 0;
        for (Map.Entry<Integer, byte[]> part : new TreeMap<>(upload.parts).entrySet()) {
            held.addObject().put("part_number", part.getKey()).put("size", part.getValue().length)
                    .put("etag", etag(part.getValue())).put("checksum_sha256", sha256(part.getValue()));
            bytes += part.getValue().length;
        }
        status.put("bytes_uploaded", bytes);
        status.put("etag", upload.object == null ? null : "\"assembled-" + upload.fileId + "\"");
        status.put("object_checksum_sha256", upload.composite);
        status.set("metadata", upload.init.path("metadata"));
        return status;
    }

    private MockResponse complete(JsonNode body) throws Exception {
        Upload upload = uploads.get(body.path("file_id").asText());
        if (upload == null) {
            return problem(404, "Not found", "no such upload");
        }
        if (upload.status.equals("uploaded")) {
            return json(200, status(upload));
        }
        ArrayNode wrong = JSON.createArrayNode();
        int expected = 1;
        for (JsonNode part : body.path("parts")) {
            int number = part.path("part_number").asInt();
            byte[] held = upload.parts.get(number);
            if (number != expected++ || held == null || !etag(held).equals(part.path("etag").asText())) {
                wrong.addObject().put("part_number", number).put("problem", held == null ? "missing" : "etag differs");
            }
        }
        if (expected - 1 != upload.partCount) {
            wrong.addObject().put("part_number", upload.partCount).put("problem", "missing");
        }
        if (wrong.size() > 0) {
            ObjectNode problem = problemBody(409, "Parts do not match", "some parts are missing or wrong");
            problem.set("parts", wrong);
            return json(409, problem).setHeader("Content-Type", "application/problem+json");
        }
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        List<String> digests = new ArrayList<>();
        for (int number = 1; number <= upload.partCount; number++) {
            object.write(upload.parts.get(number));
            digests.add(sha256(upload.parts.get(number)));
        }
        upload.object = object.toByteArray();
        upload.composite = Digests.composite(digests);
        upload.status = "uploaded";
        return json(200, status(upload));
    }

    private MockResponse list(HttpUrl url) {
        String wanted = url.queryParameter("upload_status");
        String author = url.queryParameter("author_name");
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode entries = answer.putArray("uploads");
        for (Upload upload : uploads.values()) {
            if ((wanted == null || wanted.equals(upload.status))
                    && (author == null || author.equals(upload.init.path("author_name").asText()))) {
                ObjectNode entry = status(upload);
                entry.remove("uploaded_parts");
                entry.remove("metadata");
                entries.add(entry);
            }
        }
        answer.putNull("next_token");
        return json(200, answer);
    }

    private MockResponse download(String fileId, HttpUrl url) {
        Upload upload = uploads.get(fileId);
        if (upload == null) {
            return problem(404, "Not found", "no such file");
        }
        if (!upload.status.equals("uploaded")) {
            return problem(409, "Not uploaded", upload.status);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("file_id", fileId);
        answer.put("url", server.url("/object/" + fileId).toString());
        answer.put("expires_at", Instant.now().plusSeconds(3600).toString());
        answer.put("filename", upload.init.path("filename").asText());
        answer.put("file_size", upload.size);
        answer.put("etag", "\"assembled-" + fileId + "\"");
        answer.put("object_checksum_sha256", upload.composite);
        if ("true".equals(url.queryParameter("parts"))) {
            ArrayNode parts = answer.putArray("parts");
            for (int number = 1; number <= upload.partCount; number++) {
                long offset = (number - 1) * upload.partSize;
                long length = upload.partLength(number);
                ObjectNode part = parts.addObject();
                part.put("part_number", number);
                part.put("url", server.url("/object/" + fileId).toString());
                part.put("expires_at", Instant.now().plusSeconds(3600).toString());
                part.put("range", "bytes=" + offset + "-" + (offset + length - 1));
                part.put("size", length);
                part.put("checksum_sha256", sha256(upload.parts.get(number)));
            }
        }
        return json(200, answer);
    }

    private MockResponse objectGet(RecordedRequest request, String path) {
        Upload upload = uploads.get(path.substring("/object/".length()));
        String range = request.getHeader("Range");
        rangeGets.incrementAndGet();
        if (range == null) {
            return new MockResponse().setResponseCode(200).setBody(new okio.Buffer().write(upload.object));
        }
        String[] bounds = range.substring("bytes=".length()).split("-");
        int from = Integer.parseInt(bounds[0]);
        int to = Integer.parseInt(bounds[1]);
        byte[] slice = java.util.Arrays.copyOfRange(upload.object, from, to + 1);
        if (from >= corruptFrom || corruptDownloads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            slice[slice.length / 2] ^= 0x55;
        }
        return new MockResponse().setResponseCode(206).setHeader("Content-Range",
                "bytes " + from + "-" + to + "/" + upload.object.length).setBody(new okio.Buffer().write(slice));
    }

    Upload only() {
        return uploads.values().iterator().next();
    }

    static String sha256(byte[] bytes) {
        return Base64.getEncoder().encodeToString(Digests.sha256().digest(bytes));
    }

    static String etag(byte[] bytes) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(bytes);
            StringBuilder hex = new StringBuilder("\"");
            for (byte b : md5) {
                hex.append(String.format("%02x", b));
            }
            return hex.append('"').toString();
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static MockResponse json(int status, JsonNode body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private static ObjectNode problemBody(int status, String title, String detail) {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "https://freight.dev/problems/test");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    private static MockResponse problem(int status, String title, String detail) {
        return json(status, problemBody(status, title, detail)).setHeader("Content-Type", "application/problem+json");
    }

    private static MockResponse s3Error(int status, String code, String message) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/xml")
                .setBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>");
    }
}
