package dev.freight.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/** A DynamoDB-compatible server in this process (DynamoDB Local), on disk or in memory. Dev mode and tests only. */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private final String[] arguments;
    private final int port;
    private DynamoDBProxyServer server;

    private EmbeddedDynamoDb(String[] arguments, int port) {
        this.arguments = arguments;
        this.port = port;
    }

    /**
     * @param dataDir where tables live so they survive restarts, or null to keep them in memory
     * @param port the port to listen on, 0 for any free one
     */
    public static EmbeddedDynamoDb start(Path dataDir, int port) throws Exception {
        int chosenPort = port == 0 ? freePort() : port;
        List<String> arguments = new ArrayList<>();
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            arguments.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
        } else {
            arguments.add("-inMemory");
        }
        arguments.addAll(List.of("-sharedDb", "-port", Integer.toString(chosenPort), "-disableTelemetry"));
        EmbeddedDynamoDb dynamoDb = new EmbeddedDynamoDb(arguments.toArray(String[]::new), chosenPort);
        dynamoDb.restart();
        return dynamoDb;
    }

    /** Starts (again, after {@link #close()}) on the same port; on-disk data survives, in-memory data does not. */
    public void restart() throws Exception {
        server = ServerRunner.createServerFromCommandLineArgs(arguments);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
