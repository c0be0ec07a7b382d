package dev.freight.cli;

import java.io.File;

import dev.freight.client.FileStateStore;
import dev.freight.client.FreightClient;
import dev.freight.client.RetryPolicy;
import dev.freight.client.TokenSupplier;
import picocli.CommandLine.Option;

/** Options every command takes: where the service is, who calls it, where resume state lives. */
final class Common {

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:FREIGHT_SERVER:-http://localhost:8080}",
            description = "The Freight service (env FREIGHT_SERVER; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:FREIGHT_TOKEN}",
            description = "Bearer token for the service (env FREIGHT_TOKEN).")
    String token;

    @Option(names = "--state-dir", paramLabel = "DIR",
            defaultValue = "${env:FREIGHT_STATE_DIR:-${sys:user.home}/.freight/uploads}",
            description = "Where resume state is kept (env FREIGHT_STATE_DIR; default ${DEFAULT-VALUE}).")
    File stateDir;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "7",
            description = "Retries of a failed request before giving up (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--json", description = "Print the result as JSON on standard output.")
    boolean json;

    FreightClient client() {
        String url = server.trim();
        if (!url.matches("(?i)https?://.+")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new FreightCommand()),
                    "--server must be an http(s) URL, not '" + server + "'");
        }
        String bearer = token == null || token.isBlank() ? null : token.trim();
        return FreightClient.builder(url)
                .tokenSupplier(bearer == null ? null : TokenSupplier.fixed(bearer))
                .stateStore(new FileStateStore(stateDir))
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(Math.max(0, retries) + 1))
                .build();
    }
}
