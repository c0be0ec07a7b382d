package dev.freight.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver for the webhook tests (the JDK's HttpServer on a free port, one per test JVM): every request
 * it gets is kept with its headers, body and the status it answered; what it answers at {@code /events} and
 * {@code /hook} is the test's to set.
 */
public final class WebhookReceiver {

    /** One request as it arrived, and the status it was answered with. */
    public record Received(String path, String id, String timestamp, String signature, String body, int status,
            Instant at) {

        public boolean accepted() {
            return status >= 200 && status < 300;
        }

        public Map<String, String> headers() {
            return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature);
        }
    }

    /** The hook's answer: status and body, after an optional delay. */
    public record HookAnswer(int status, String body, long delayMillis) {
    }

    private static final String PORT_PROPERTY = "test.webhook-receiver.port";
    private static WebhookReceiver instance;

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int eventStatus = 204;
    private volatile long eventDelayMillis;
    private volatile Function<String, HookAnswer> hook = body -> new HookAnswer(200, "{\"allow\":true}", 0);

    private WebhookReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(work -> {
            Thread thread = new Thread(work, "test-webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/events", exchange -> answer(exchange, eventStatus, "", eventDelayMillis));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            HookAnswer answer = hook.apply(body);
            answer(exchange, body, answer.status(), answer.body(), answer.delayMillis());
        });
        server.start();
    }

    /**
     * The receiver's port, chosen once per JVM and kept in a system property: a test profile (which names the URL
     * in the app's configuration) and the test (which starts the receiver) run in different class loaders, so a
     * static field would not be shared between them.
     */
    public static synchronized int port() {
        String chosen = System.getProperty(PORT_PROPERTY);
        if (chosen == null) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                chosen = Integer.toString(probe.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(PORT_PROPERTY, chosen);
        }
        return Integer.parseInt(chosen);
    }

    /** The receiver's URL for {@code path}, without starting it. */
    public static String urlOf(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public static synchronized WebhookReceiver get() {
        if (instance == null) {
            instance = new WebhookReceiver(port());
        }
        return instance;
    }


    /** A receiver of its own on a free port (plain unit tests; the shared one may live in another class loader). */
    public static WebhookReceiver standalone() {
        return new WebhookReceiver(0);
    }

    /** This receiver's URL for {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void stop() {
        server.stop(0);
    }

    /** What {@code /events} answers from now on (204, 503 for "down", 410 for "gone"). */
    public void answerEvents(int status) {
        eventStatus = status;
    }

    /** Answers {@code /events} only after {@code delayMillis} (a slow receiver). */
    public void delayEvents(long delayMillis) {
        eventDelayMillis = delayMillis;
    }

    public void answerHook(Function<String, HookAnswer> answer) {
        hook = answer;
    }

    public List<Received> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    public void reset() {
        received.clear();
        eventStatus = 204;
        eventDelayMillis = 0;
        hook = body -> new HookAnswer(200, "{\"allow\":true}", 0);
    }

    private void answer(HttpExchange exchange, int status, String answer, long delayMillis) throws IOException {
        answer(exchange, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), status, answer,
                delayMillis);
    }

    private void answer(HttpExchange exchange, String body, int status, String answer, long delayMillis)
            throws IOException {
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            var headers = exchange.getRequestHeaders();
            received.add(new Received(exchange.getRequestURI().getPath(), headers.getFirst("webhook-id"),
                    headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"), body, status,
                    Instant.now()));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // The sender timed out and closed the connection: what a slow receiver sees.
        } finally {
            exchange.close();
        }
    }
}
