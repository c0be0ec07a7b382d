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

    private final DynamoDBProxyServer server;
    private final int port;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
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
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(arguments.toArray(String[]::new));
        server.start();
        return new EmbeddedDynamoDb(server, chosenPort);
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
