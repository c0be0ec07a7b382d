package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
import dev.freight.support.PackagedApp;
import dev.freight.support.PackagedAppEnvironment;

import dev.freight.client.internal.Digests;

/**
 * Memory stays bounded: a 1 GiB file goes up and comes back down through the {@code freight} command running with a
 * 64 MiB heap, against the packaged app and S3Proxy on disk (so the test JVM holds no object in memory). The object
 * storage assembled has the composite SHA-256 of the file's own part digests, and the downloaded copy the file's
 * SHA-256. {@code -Dfreight.client.memory.size=<bytes>} changes the size; the figures land in
 * {@code target/client-memory.txt}.
 */
class ClientMemoryIT {

    private static final String ACCESS_KEY = "memorytest";
    private static final String SECRET_KEY = "memorytestsecret";
    private static final long PART = 16L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dataDir;
    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;
    private PackagedApp app;

    @BeforeEach
    void startEverything() throws Exception {
        dataDir = Files.createTempDirectory("freight-client-memory");
        s3 = EmbeddedS3.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
        dynamoDb = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"), 0);
        app = new PackagedApp(PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(), ACCESS_KEY,
                SECRET_KEY, 0), dataDir.resolve("app.log"));
        app.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        dynamoDb.close();
        s3.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private String server() {
        return "http://127.0.0.1:" + app.port();
    }

    @Test
    void aGibibyteGoesUpAndDownWithA64MibHeap() throws Exception {
        long size = Long.getLong("freight.client.memory.size", 1024L * 1024 * 1024);
        Path file = dataDir.resolve("big.bin");
        List<String> partDigests = writeFile(file, size);
        String fileDigest = partDigests.remove(partDigests.size() - 1);
        List<String> heap = List.of("-Xmx64m", "-XX:+UseSerialGC");
        Files.deleteIfExists(Path.of("target/client-memory.txt"));

        Measured upload = measure(Cli.start(dataDir, heap, "upload", file.toString(), "--server", server(),
                "--state-dir", dataDir.resolve("state").toString(), "--part-size", "16M", "--parallel", "4",
                "--json", "--quiet"));
        report(String.format(Locale.ROOT, "client memory test, %d MiB, -Xmx64m, 16 MiB parts x 4%n  upload   %.1f s  "
                + "%.0f MiB/s  peak RSS %d MiB%n", size >> 20, upload.seconds, (size >> 20) / upload.seconds,
                upload.peakRssKib >> 10));
        assertThat(upload.result.exit()).as(upload.result.err()).isZero();
        JsonNode uploaded = JSON.readTree(upload.result.out()).path("files").get(0);
        assertThat(uploaded.path("upload_status").asText()).isEqualTo("uploaded");
        assertThat(uploaded.path("size").asLong()).isEqualTo(size);
        assertThat(uploaded.path("object_checksum_sha256").asText()).isEqualTo(Digests.composite(partDigests));
        String fileId = uploaded.path("file_id").asText();

        Path target = dataDir.resolve("back.bin");
        Measured download = measure(Cli.start(dataDir, heap, "download", fileId, "-o", target.toString(), "--server",
                server(), "--json", "--quiet"));
        report(String.format(Locale.ROOT, "  download %.1f s  %.0f MiB/s  peak RSS %d MiB%n", download.seconds,
                (size >> 20) / download.seconds, download.peakRssKib >> 10));
        assertThat(download.result.exit()).as(download.result.err()).isZero();
        assertThat(JSON.readTree(download.result.out()).path("verified_by_parts").asBoolean()).isTrue();
        assertThat(sha256(target)).isEqualTo(fileDigest);
    }

    /** Prints a figure line and appends it to target/client-memory.txt (kept for the notes). */
    private static void report(String figures) throws IOException {
        System.out.print(figures);
        Files.writeString(Path.of("target/client-memory.txt"), figures, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    record Measured(Cli.Result result, double seconds, long peakRssKib) {
    }

    /** Waits for the command, reading its peak resident set size (VmHWM) from /proc while it runs. */
    private static Measured measure(Cli.Running running) throws Exception {
        long started = System.nanoTime();
        long peak = 0;
        Path status = Path.of("/proc/" + running.process.pid() + "/status");
        while (running.process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException gone) {
                // the process just ended
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Measured(running.finish(), seconds, peak);
    }

    /** Writes {@code size} pseudo-random bytes; answers each 16 MiB part's SHA-256, then the whole file's. */
    private static List<String> writeFile(Path file, long size) throws Exception {
        byte[] block = new byte[1024 * 1024];
        new Random(41).nextBytes(block);
        List<String> digests = new ArrayList<>();
        MessageDigest whole = MessageDigest.getInstance("SHA-256");
        MessageDigest part = MessageDigest.getInstance("SHA-256");
        long inPart = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0, index = 0; written < size; index++) {
                // Every MiB differs: its first 8 bytes are its index.
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
                int length = (int) Math.min(block.length, size - written);
                out.write(block, 0, length);
                whole.update(block, 0, length);
                part.update(block, 0, length);
                written += length;
                inPart += length;
                if (inPart == PART || written == size) {
                    digests.add(Base64.getEncoder().encodeToString(part.digest()));
                    inPart = 0;
                }
            }
        }
        digests.add(Base64.getEncoder().encodeToString(whole.digest()));
        return digests;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return Base64.getEncoder().encodeToString(digest.digest());
    }
}
