package dev.freight.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.function.Consumer;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.limits.Charge;
import dev.freight.dynamodb.limits.Limits;
import dev.freight.dynamodb.limits.ThroughputGate;
import dev.freight.dynamodb.server.DynamoDbServer;

/**
 * A DynamoDB-compatible server in this process (Freight's own engine, module {@code dynamodb/}), on disk or in
 * memory, on loopback. Dev mode and tests only; its throughput limits are off until a test turns them on
 * ({@link #throttle(Limits)}).
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final SwitchableGate gate = new SwitchableGate();
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
        engine = new Engine(EngineOptions.builder().dataDir(dataDir).throughputGate(gate).build());
        server = DynamoDbServer.start(engine, "127.0.0.1", port);
    }

    /**
     * Applies these throughput limits from now on (tables already created count as on-demand), or none when
     * {@code limits} is disabled: tests produce AWS's throttling on a running engine.
     */
    public void throttle(Limits limits) {
        gate.current = limits.throughputGate(System::nanoTime);
    }

    /**
     * Hands every set of charges the engine spends (after the limits let it through) to {@code listener}, or to
     * nobody when null: tests read what a request cost in capacity units, counted by the engine's rules.
     */
    public void onCharges(Consumer<List<Charge>> listener) {
        gate.listener = listener;
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

    /** The gate the engine asks, passing each charge to whichever limits are on now. */
    private static final class SwitchableGate implements ThroughputGate {
        private volatile ThroughputGate current = ThroughputGate.unlimited();
        private volatile Consumer<List<Charge>> listener;

        @Override
        public void charge(List<Charge> charges) {
            current.charge(charges);
            Consumer<List<Charge>> watching = listener;
            if (watching != null) {
                watching.accept(charges);
            }
        }
    }
}
