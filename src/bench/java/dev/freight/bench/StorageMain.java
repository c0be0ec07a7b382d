package dev.freight.bench;

import java.io.InputStream;
import java.nio.file.Path;
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
