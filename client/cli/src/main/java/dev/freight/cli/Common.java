package dev.freight.cli;

import java.io.File;

import dev.freight.client.FileStateStore;
import dev.freight.client.FreightClient;
import dev.freight.client.RetryPolicy;
import dev.freight.client.TokenSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command takes: where the service is, who calls it, where resume state lives. */
final class Common {

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:FREIGHT_SERVER:-http://localhost:8080}",
            description = "The Freight service (env FREIGHT_SERVER; default ${DEFAULT-VALUE}).")
    String server;

    @Mixin
    TokenSource tokenSource;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--state-dir", paramLabel = "DIR",
            defaultValue = "${env:FREIGHT_STATE_DIR:-${sys:user.home}/.freight/uploads}",
            description = "Where resume state is kept (env FREIGHT_STATE_DIR; default ${DEFAULT-VALUE}).")
    File stateDir;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "7",
            description = "Retries of a failed request before giving up, 0-100 (default ${DEFAULT-VALUE}).")
    int retries;

    private boolean tokenResolved;
    private String token;

    @Option(names = "--json", description = "Print the result as JSON on standard output.")
    boolean json;

    /** The bearer token from wherever it was given (read once), or null for none. */
    String token() {
        if (!tokenResolved) {
            CommandLine root = command.commandLine();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            FreightCommand freight = root.getCommand();
            token = tokenSource.resolve(command.commandLine(), freight.environment, freight.in,
                    command.commandLine().getErr());
            tokenResolved = true;
        }
        return token;
    }

    boolean tokenGiven() {
        return token() != null;
    }

    FreightClient client() {
        return client(FreightClient.DEFAULT_MAX_CONNECTIONS);
    }

    /** A client that puts at most {@code connections} transfers on the wire at once (the command's --parallel). */
    FreightClient client(int connections) {
        String url = server.trim();
        if (!url.matches("(?i)https?://.+")) {
            throw usage("--server must be an http(s) URL, not '" + server + "'");
        }
        if (retries < 0 || retries > 100) {
            throw usage("--retries must be 0..100, not " + retries);
        }
        if (stateDir.getPath().isBlank()) {
            throw usage("--state-dir must name a directory, not ''");
        }
        String bearer = token();
        return FreightClient.builder(url)
                .tokenSupplier(bearer == null ? null : TokenSupplier.fixed(bearer))
                .stateStore(new FileStateStore(stateDir))
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(retries + 1))
                .maxConnections(connections)
                .build();
    }

    /** A usage error (exit 2) that names the argument. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(command.commandLine(), message);
    }
}
