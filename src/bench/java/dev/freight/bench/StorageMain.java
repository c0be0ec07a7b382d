package dev.freight.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;

/**
 * Runs one storage emulator in a JVM of its own, so the suite can read its CPU time from /proc apart from the
 * service and the clients. Prints {@code READY <port>} and serves until its standard input closes.
 * Arguments: {@code s3 <data dir> <access key> <secret key>} or {@code dynamodb}.
 */
public final class StorageMain {

    private StorageMain() {
    }

    /** A storage emulator running in its own JVM. */
    record Server(long pid, int port) {

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }
    }

    /**
     * Starts one emulator in a JVM of its own on this JVM's class path (log in {@code work/<kind>.log}), added to
     * {@code children}; returns once it serves.
     */
    static Server launch(Path work, List<Process> children, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                System.getProperty("java.class.path"), StorageMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(work.resolve(args[0] + ".log").toFile()).start();
        children.add(process);
        BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> lines.lines().forEach(ignored -> { }));
                drain.setDaemon(true);
                drain.start();
                return new Server(process.pid(), Integer.parseInt(line.substring(6).trim()));
            }
        }
        throw new IllegalStateException(args[0] + " did not start; see " + work.resolve(args[0] + ".log"));
    }

    public static void main(String[] args) throws Exception {
        AutoCloseable server;
        int port;
        if ("s3".equals(args[0])) {
            // Filesystem store: the in-memory one would need a heap of ~2.3x the 1 GiB object.
            // CORS open to any origin: the browser app's section loads the page from the app's random port.
            EmbeddedS3 s3 = EmbeddedS3.start(Path.of(args[1]), 0, args[2], args[3], List.of("*"));
            server = s3;
            port = s3.endpoint().getPort();
        } else {
            EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(null, 0);
            server = dynamoDb;
            port = dynamoDb.endpoint().getPort();
        }
        System.out.println("READY " + port);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // The suite holds the pipe open for as long as it needs the server.
        }
        server.close();
        System.exit(0);
    }
}
