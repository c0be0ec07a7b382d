package dev.freight.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A host app's own web server on a free loopback port, so its pages run on an origin other than Freight's (CORS, as
 * a real app): it answers each GET with what {@code routes} gives for the path, 404 when nothing.
 */
public final class HostAppServer implements AutoCloseable {

    /** A file to answer: its bytes and content type. */
    public record Served(byte[] body, String contentType) {
    }

    /** What to answer for a request path; null for 404. */
    @FunctionalInterface
    public interface Routes {
        Served serve(String path) throws IOException;
    }

    private final HttpServer server;

    public HostAppServer(Routes routes) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        server.createContext("/", exchange -> answer(exchange, routes));
        server.start();
    }

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Routes routes) throws IOException {
        try (exchange) {
            Served served = routes.serve(exchange.getRequestURI().getPath());
            if (served == null || served.body() == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", served.contentType());
            exchange.sendResponseHeaders(200, served.body().length);
            exchange.getResponseBody().write(served.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
