package dev.freight.dynamodb.server;

import java.nio.file.Path;
import java.time.Duration;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.limits.Limits;

/**
 * The engine as a server of its own:
 * {@code java -jar freight-dynamodb.jar [--port 8000] [--host 127.0.0.1] [--data-dir DIR] [--ttl-sweep-seconds 10]}.
 * Without {@code --data-dir} tables live in memory. Limits come from {@code -Dfreight.dynamodb.limits.*} properties
 * (off unless enabled).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int port = 8000;
        String host = "127.0.0.1";
        Path dataDir = null;
        Duration sweep = Duration.ofSeconds(10);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--in-memory" -> dataDir = null;
                case "--ttl-sweep-seconds" -> sweep = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("usage: java -jar freight-dynamodb.jar [--port 8000] [--host 127.0.0.1] "
                            + "[--data-dir DIR | --in-memory] [--ttl-sweep-seconds 10]");
                    System.exit(2);
                }
            }
        }
        long began = System.nanoTime();
        Limits limits = Limits.fromSystemProperties();
        Engine engine = new Engine(EngineOptions.builder().dataDir(dataDir).ttlSweepInterval(sweep)
                .throughputGate(limits.throughputGate(System::nanoTime))
                .itemHolds(limits.itemHolds(System::nanoTime)).build());
        DynamoDbServer server = DynamoDbServer.start(engine, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engine.close();
        }));
        System.out.printf("Freight DynamoDB engine at %s (data in %s) started in %d ms%n", server.endpoint(),
                dataDir == null ? "memory" : dataDir.toAbsolutePath(), (System.nanoTime() - began) / 1_000_000);
    }
}
