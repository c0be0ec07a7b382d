package dev.freight.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.server.DynamoDbServer;

/**
 * A DynamoDB-compatible server in this process (Freight's own engine, module {@code dynamodb/}), on disk or in
 * memory, on loopback. Dev mode and tests only; its limits are off.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private Engine engine;
    private DynamoDbServer server;

    private EmbeddedDynamoDb(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * @param dataDir where tables live so they survive restarts, or null to keep them in memory
     * @param port the port to listen on, 0 for any free one
     */
    public static EmbeddedDynamoDb start(Path dataDir, int port) throws Exception {
        int chosenPort = port == 0 ? freePort() : port;
        if (dataDir != null) {
            Files.createDirectories(dataDir);
        }
        EmbeddedDynamoDb dynamoDb = new EmbeddedDynamoDb(dataDir, chosenPort);
        dynamoDb.restart();
        return dynamoDb;
    }

    /** Starts (again, after {@link #close()}) on the same port; on-disk data survives, in-memory data does not. */
    public void restart() throws Exception {
        engine = new Engine(EngineOptions.builder().dataDir(dataDir).build());
        server = DynamoDbServer.start(engine, "127.0.0.1", port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        server.close();
        engine.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
