package dev.freight.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.client.FreightException;
import dev.freight.client.HttpRequest;
import dev.freight.client.HttpResponse;
import dev.freight.client.HttpTransport;
import dev.freight.client.RemoteUpload;
import dev.freight.client.ServiceException;
import dev.freight.client.TokenSupplier;
import dev.freight.client.UploadPage;

/** The Freight HTTP API (docs/api.md) with retries, the token hook and problem+json errors. */
public final class ServiceApi {

    private static final String USER_AGENT = "freight-client/1.0";

    private final String base;
    private final HttpTransport transport;
    private final TokenSupplier tokens;
    private final boolean transportReauthorizes;
    private final RetryLoop loop;

    /**
     * @param transportReauthorizes true when the transport answers a 401 itself (OkHttp's {@code Authenticator},
     *                              {@link TokenAuthenticator}): a 401 reaching here is then final
     */
    public ServiceApi(String server, HttpTransport transport, TokenSupplier tokens, boolean transportReauthorizes,
            RetryLoop loop) {
        this.base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.transport = transport;
        this.tokens = tokens;
        this.transportReauthorizes = transportReauthorizes;
        this.loop = loop;
    }

    public String server() {
        return base;
    }

    public JsonNode init(ObjectNode body, String idempotencyKey, Cancellation cancel) throws IOException {
        return call("POST", "/api/upload/init", body, Collections.singletonMap("Idempotency-Key", idempotencyKey), null, cancel);
    }

    public List<PartUrl> refreshUrls(String fileId, String uploadToken, Map<Integer, String> digests, Cancellation cancel)
            throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("file_id", fileId);
        if (uploadToken != null) {
            body.put("upload_token", uploadToken);
        }
        ArrayNode parts = body.putArray("parts");
        digests.forEach((number, digest) -> parts.addObject().put("part_number", number).put("checksum_sha256", digest));
        return partUrls(call("POST", "/api/upload/refresh_urls", body, Collections.<String, String>emptyMap(), fileId, cancel));
    }

    public RemoteUpload status(String fileId, Cancellation cancel) throws IOException {
        return upload(call("GET", "/api/upload/" + encode(fileId), null, Collections.<String, String>emptyMap(), fileId, cancel));
    }

    public RemoteUpload complete(String fileId, Map<Integer, String> etags, Map<Integer, String> checksums,
            Cancellation cancel) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("file_id", fileId);
        ArrayNode parts = body.putArray("parts");
        etags.forEach((number, etag) -> {
            ObjectNode part = parts.addObject().put("part_number", number).put("etag", etag);
            if (checksums != null && checksums.get(number) != null) {
                part.put("checksum_sha256", checksums.get(number));
            }
        });
        return upload(call("POST", "/api/upload/complete", body, Collections.<String, String>emptyMap(), fileId, cancel));
    }

    public void abort(String fileId, Cancellation cancel) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("file_id", fileId);
        call("POST", "/api/upload/abort", body, Collections.<String, String>emptyMap(), fileId, cancel);
    }

    public UploadPage list(String authorName, String uploadStatus, Integer limit, String nextToken, Cancellation cancel)
            throws IOException {
        StringBuilder path = new StringBuilder("/api/upload");
        char separator = '?';
        Map<String, String> query = new LinkedHashMap<>();
        query.put("author_name", authorName);
        query.put("upload_status", uploadStatus);
        query.put("limit", limit == null ? null : limit.toString());
        query.put("next_token", nextToken);
        for (Map.Entry<String, String> entry : query.entrySet()) {
            if (entry.getValue() != null) {
                path.append(separator).append(entry.getKey()).append('=').append(encode(entry.getValue()));
                separator = '&';
            }
        }
        JsonNode answer = call("GET", path.toString(), null, Collections.<String, String>emptyMap(), null, cancel);
        List<RemoteUpload> uploads = new ArrayList<>();
        for (JsonNode upload : answer.path("uploads")) {
            uploads.add(upload(upload));
        }
        return new UploadPage(uploads, Json.text(answer, "next_token"));
    }

    public JsonNode download(String fileId, boolean parts, Cancellation cancel) throws IOException {
        JsonNode first = call("GET", "/api/download/" + encode(fileId) + (parts ? "?parts=true" : ""), null,
                Collections.<String, String>emptyMap(), fileId, cancel);
        // The service signs part URLs a page at a time (next_part): gather every page into the first answer.
        JsonNode page = first;
        while (parts && page.hasNonNull("next_part") && first.path("parts").isArray()) {
            page = call("GET", "/api/download/" + encode(fileId) + "?parts=true&first_part="
                    + page.get("next_part").asInt(), null, Collections.<String, String>emptyMap(), fileId, cancel);
            for (JsonNode part : page.path("parts")) {
                ((ArrayNode) first.get("parts")).add(part);
            }
        }
        if (first instanceof ObjectNode) {
            ((ObjectNode) first).remove("next_part");
        }
        return first;
    }

    /** An answer of the service as the public {@link RemoteUpload}. */
    static RemoteUpload upload(JsonNode answer) throws IOException {
        return RemoteUpload.fromJson(answer.toString());
    }

    public static List<PartUrl> partUrls(JsonNode answer) {
        List<PartUrl> urls = new ArrayList<>();
        for (JsonNode part : answer.path("parts")) {
            urls.add(PartUrl.of(part));
        }
        return urls;
    }

    /**
     * One API call in the {@link RetryLoop}: connection failures, 408, 429, 500, 502, 503 and 504 wait (Retry-After
     * honoured; 429 and 503 pause the whole client) and try again; a 401 asks the token supplier once more (OkHttp's
     * {@code Authenticator} does, or the loop where the transport is the app's own); any other answer >= 300 is a
     * {@link ServiceException}.
     */
    public JsonNode call(String method, String path, JsonNode body, Map<String, String> extraHeaders, String fileId,
            Cancellation cancel) throws IOException {
        byte[] bytes = body == null ? null : Json.MAPPER.writeValueAsBytes(body);
        int query = path.indexOf('?');
        String what = method + " " + (query < 0 ? path : path.substring(0, query));
        return loop.run(what, fileId, cancel, previous -> once(method, path, bytes, extraHeaders, fileId, cancel),
                RetryLoop.Remedy.NONE);
    }

    private JsonNode once(String method, String path, byte[] bytes, Map<String, String> extraHeaders, String fileId,
            Cancellation cancel) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json, application/problem+json");
        headers.put("User-Agent", USER_AGENT);
        String token = tokens == null ? null : tokens.token();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        headers.putAll(extraHeaders);
        HttpRequest.Body requestBody = bytes == null ? null : jsonBody(bytes);
        try (HttpResponse response = transport.execute(new HttpRequest(method, base + path, headers, requestBody,
                cancel))) {
            int status = response.status();
            String text = readAll(response.body());
            if (status < 300) {
                return text.isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(text);
            }
            ServiceException refusal = problem(status, text, fileId);
            if (status == 401 && (tokens == null || transportReauthorizes)) {
                throw refusal;
            }
            throw Failure.answer(Failure.Target.SERVICE, status, null, response.header("Retry-After"),
                    "the service answered " + status + " " + summary(text), refusal);
        } catch (FreightException | Failure final_) {
            throw final_;
        } catch (IOException unreachable) {
            RetryLoop.checkCancelled(cancel, fileId);
            throw Failure.noAnswer(Failure.Target.SERVICE, "Cannot reach the service at " + base + ": "
                    + describe(unreachable), unreachable);
        }
    }

    public static ServiceException problem(int status, String text, String fileId) {
        String type = null;
        String title = null;
        String detail = null;
        try {
            JsonNode problem = Json.MAPPER.readTree(text);
            if (problem != null && problem.isObject()) {
                type = Json.text(problem, "type");
                title = Json.text(problem, "title");
                detail = Json.text(problem, "detail");
            }
        } catch (IOException notJson) {
            detail = summary(text);
        }
        return new ServiceException(status, type, title, detail, text, fileId);
    }

    public static String describe(IOException failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    private static String summary(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    /** An answer's body for an error message, or "" when it cannot be read. */
    public static String readQuietly(HttpResponse response) {
        try {
            return readAll(response.body());
        } catch (IOException unreadable) {
            return "";
        }
    }

    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            if (out.size() > 4 * 1024 * 1024) {
                throw new IOException("Answer too large");
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8").replace("+", "%20");
        } catch (java.io.UnsupportedEncodingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static HttpRequest.Body jsonBody(byte[] bytes) {
        return new HttpRequest.Body() {
            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public String contentType() {
                return "application/json";
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
