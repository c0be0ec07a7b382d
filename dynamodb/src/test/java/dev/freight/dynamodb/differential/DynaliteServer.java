package dev.freight.dynamodb.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * dynalite (npm, Apache-2.0), an independent DynamoDB implementation, run under Node by src/test/node/dynalite-server.js
 * in memory on a free port. The Maven build installs it with {@code npm ci}; a missing node or dynalite fails loudly.
 */
final class DynaliteServer implements AutoCloseable {

    private static final Path SCRIPT = Path.of("src/test/node/dynalite-server.js");

    private final Process process;
    private final URI endpoint;

    private DynaliteServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static DynaliteServer start() throws IOException {
        if (!Files.isDirectory(SCRIPT.resolveSibling("node_modules/dynalite"))) {
            throw new IllegalStateException("dynalite is not installed: run `npm ci` in src/test/node "
                    + "(the Maven build does it at generate-test-resources unless -Dskip.npm)");
        }
        Process process = new ProcessBuilder("node", SCRIPT.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IllegalStateException("dynalite did not start: " + line);
        }
        return new DynaliteServer(process, URI.create("http://127.0.0.1:" + line.substring(5).trim() + "/"));
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // the script exits when its stdin closes
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
