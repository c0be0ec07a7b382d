package dev.freight.dynamodb.differential;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.server.DynamoDbServer;
import java.net.URI;

/** This module's engine, in memory with limits off, served on a free loopback port for the differential suite. */
final class LocalEngine implements DifferentialTest.EngineUnderTest {

    private final Engine engine;
    private final DynamoDbServer server;

    private LocalEngine(Engine engine, DynamoDbServer server) {
        this.engine = engine;
        this.server = server;
    }

    static LocalEngine start() throws Exception {
        Engine engine = new Engine(EngineOptions.builder().build());
        return new LocalEngine(engine, DynamoDbServer.start(engine, "127.0.0.1", 0));
    }

    @Override
    public URI endpoint() {
        return URI.create(server.endpoint() + "/");
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
