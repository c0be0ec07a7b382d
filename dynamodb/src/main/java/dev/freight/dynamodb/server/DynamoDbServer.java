package dev.freight.dynamodb.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.freight.dynamodb.engine.DynamoException;
import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.limits.CancellationReason;
import dev.freight.dynamodb.limits.ThrottledException;
import dev.freight.dynamodb.limits.TransactionCanceledException;
import dev.freight.dynamodb.limits.TransactionConflictException;

/**
 * Serves an {@link Engine} over HTTP with DynamoDB's JSON 1.0 protocol: {@code POST /} with
 * {@code X-Amz-Target: DynamoDB_20120810.<Operation>}; errors as HTTP 400 (500 for internal failures) with
 * {@code {"__type": "...#Name", "message": "..."}}; each response carries {@code x-amzn-RequestId} and the CRC32 of
 * its body in {@code x-amz-crc32}, which the AWS SDK verifies. Signatures are accepted without checking (any access
 * key works, as with other local emulators). Binds to loopback unless told otherwise.
 */
public final class DynamoDbServer implements AutoCloseable {

    static {
        // The JDK server writes headers and body in two packets; with Nagle's algorithm on, each response then waits
        // for the client's delayed ACK (~40 ms). Read once, when the JDK's server configuration is first loaded.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private final Engine engine;
    private final HttpServer http;
    private final ThreadPoolExecutor workers;

    private DynamoDbServer(Engine engine, HttpServer http, ThreadPoolExecutor workers) {
        this.engine = engine;
        this.http = http;
        this.workers = workers;
    }

    /** Starts serving {@code engine} on {@code host:port} (port 0: any free one). */
    public static DynamoDbServer start(Engine engine, String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        int threads = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), runnable -> {
                    Thread thread = new Thread(runnable, "dynamodb-http-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        workers.allowCoreThreadTimeOut(true);
        http.setExecutor(workers);
        DynamoDbServer server = new DynamoDbServer(engine, http, workers);
        http.createContext("/", server::serve);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public URI endpoint() {
        return URI.create("http://" + http.getAddress().getHostString() + ":" + port());
    }

    public Engine engine() {
        return engine;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                // What DynamoDB's endpoint answers a plain GET: a health line.
                respond(exchange, 200, "text/plain", "healthy: dynamodb.local.freight".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            ObjectNode response;
            int status = 200;
            try {
                response = handle(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            } catch (DynamoException refused) {
                status = refused.status();
                response = error(refused);
            } catch (ThrottledException throttled) {
                status = 400;
                response = JSON.valueToTree(throttled.errorBody());
            } catch (TransactionCanceledException conflict) {
                status = 400;
                response = JsonNodeFactory.instance.objectNode()
                        .put("__type", DynamoException.PREFIX + TransactionCanceledException.AWS_TYPE)
                        .put("Message", conflict.getMessage());
                ArrayNode reasons = response.putArray("CancellationReasons");
                for (CancellationReason reason : conflict.reasons()) {
                    ObjectNode entry = reasons.addObject().put("Code", reason.code());
                    if (reason.message() != null) {
                        entry.put("Message", reason.message());
                    }
                }
            } catch (TransactionConflictException conflict) {
                status = 400;
                response = JsonNodeFactory.instance.objectNode()
                        .put("__type", DynamoException.PREFIX + "TransactionConflictException")
                        .put("message", conflict.getMessage());
            } catch (RuntimeException failure) {
                status = 500;
                response = JsonNodeFactory.instance.objectNode()
                        .put("__type", DynamoException.PREFIX + "InternalServerError")
                        .put("message", "Internal server error: " + failure);
            }
            respond(exchange, status, CONTENT_TYPE, JSON.writeValueAsBytes(response));
        }
    }

    private ObjectNode handle(String target, byte[] body) {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new DynamoException("UnknownOperationException", null, 400);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(body);
        } catch (JsonProcessingException malformed) {
            throw DynamoException.serialization("Start of structure or map found where not expected.");
        } catch (IOException unreadable) {
            throw DynamoException.serialization(unreadable.getMessage());
        }
        if (!request.isObject()) {
            throw DynamoException.serialization("Start of structure or map found where not expected.");
        }
        return engine.handle(target.substring(TARGET_PREFIX.length()), request);
    }

    /**
     * DynamoDB answers validation errors under the coral namespace
     * ({@code com.amazon.coral.validate#ValidationException}, as quoted in aws/aws-sdk-php#1233) and the rest under
     * {@code com.amazonaws.dynamodb.v20120810#}; a transaction's cancellation carries {@code Message}, the rest
     * {@code message} (pynamodb/PynamoDB#1144).
     */
    private static ObjectNode error(DynamoException refused) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", refused.type().equals("ValidationException")
                ? "com.amazon.coral.validate#ValidationException"
                : refused.type().equals("UnknownOperationException") || refused.type().equals("SerializationException")
                        ? "com.amazon.coral.service#" + refused.type()
                        : DynamoException.PREFIX + refused.type());
        if (refused.getMessage() != null) {
            body.put(refused.type().equals("TransactionCanceledException") ? "Message" : "message", refused.getMessage());
        }
        body.setAll(refused.extra());
        return body;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops serving (waits up to a second for requests in flight); the engine is closed by its owner. */
    @Override
    public void close() {
        http.stop(0);
        workers.shutdown();
    }
}
