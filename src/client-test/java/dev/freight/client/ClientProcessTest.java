package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Uploads from processes of their own, as phones and scripts do: a JVM killed (SIGKILL) mid-upload resumed from its
 * state file, the {@code freight} command interrupted with SIGINT, resumed and downloaded, and every bad input
 * answered with one line and its documented exit code.
 */
@QuarkusTest
class ClientProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PART = ClientLibraryTest.PART;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path temp;

    private String server() {
        return root.toString().replaceAll("/$", "");
    }

    private String[] common(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server();
        all[args.length + 2] = "--state-dir";
        all[args.length + 3] = temp.resolve("state").toString();
        return all;
    }

    private FreightClient library(WireTap tap) {
        return FreightClient.builder(server()).transport(tap)
                .stateStore(new FileStateStore(temp.resolve("state").toFile())).build();
    }

    /** Waits until the child's state file names its upload and storage holds at least {@code parts} parts. */
    private String awaitParts(Cli.Running child, int parts) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertThat(child.process.isAlive()).as("still uploading: " + Files.readString(child.err)).isTrue();
            File[] states = temp.resolve("state").toFile().listFiles((dir, name) -> name.endsWith(".json"));
            if (states != null && states.length == 1) {
                String fileId = states[0].getName().replace(".json", "");
                if (library(new WireTap()).status(fileId).uploadedParts().size() >= parts) {
                    return fileId;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no progress: " + Files.readString(child.err));
    }

    @Test
    void aKilledUploadingJvmIsResumedFromItsStateFileSendingOnlyTheMissingParts() throws Exception {
        File file = ClientLibraryTest.randomFile(temp, "killed.bin", 8 * PART + 99, 31);
        Cli.Running child = Cli.start(temp, List.of(), common("upload", file.getPath(), "--part-size", "5M",
                "--parallel", "2", "--limit-rate", "8M", "--author", "Ada"));
        String fileId = awaitParts(child, 2);
        child.process.destroyForcibly().waitFor();

        int held = library(new WireTap()).status(fileId).uploadedParts().size();
        assertThat(held).isBetween(2, 8);
        UploadState saved = new FileStateStore(temp.resolve("state").toFile()).load(fileId);
        assertThat(saved.partCount()).isEqualTo(9);
        assertThat(saved.sourceKey()).isEqualTo(file.getAbsolutePath());
        // Created by the process owner-only (it holds the upload's token), whatever the umask.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("state"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("state")
                .resolve(fileId + ".json")))).isEqualTo("rw-------");

        WireTap tap = new WireTap();
        UploadResult result = library(tap).resume(new FileSource(file),
                UploadOptions.defaults().parallelism(4).authorName("Ada"));

        assertThat(result.fileId()).isEqualTo(fileId);
        assertThat(tap.partPuts.get()).as("only the parts storage lacked").isEqualTo(9 - held);
        String objectKey = storage.objectKey(UUID.fromString(fileId));
        assertThat(TestFiles.sha256Hex(storage.object(objectKey)))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
    }

    @Test
    void ctrlCLeavesTheUploadResumableThenResumeAndDownloadGiveTheSameBytes() throws Exception {
        File file = ClientLibraryTest.randomFile(temp, "interrupted.bin", 6 * PART + 5, 32);
        Cli.Running child = Cli.start(temp, List.of(), common("upload", file.getPath(), "--part-size", "5M",
                "--parallel", "1", "--limit-rate", "8M", "--json"));
        String fileId = awaitParts(child, 1);
        child.signal("INT");
        Cli.Result interrupted = child.finish();

        assertThat(interrupted.exit()).as(interrupted.err()).isEqualTo(130);
        assertThat(interrupted.err()).contains("interrupted").contains("resumable").contains("freight resume")
                .doesNotContain("Exception").doesNotContain("\tat ");
        JsonNode report = JSON.readTree(interrupted.out());
        assertThat(report.path("exit_code").asInt()).isEqualTo(130);
        assertThat(report.path("files").get(0).path("file_id").asText()).isEqualTo(fileId);
        assertThat(report.path("files").get(0).path("resumable").asBoolean()).isTrue();
        int held = library(new WireTap()).status(fileId).uploadedParts().size();
        assertThat(held).isBetween(1, 6);

        Cli.Result listed = Cli.run(temp, common("ls", "--unfinished", "--json"));
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(JSON.readTree(listed.out()).findValuesAsText("file_id")).contains(fileId);

        Cli.Result resumed = Cli.run(temp, common("resume", file.getPath(), "--json", "--quiet"));
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        JsonNode done = JSON.readTree(resumed.out()).path("files").get(0);
        assertThat(done.path("file_id").asText()).isEqualTo(fileId);
        assertThat(done.path("upload_status").asText()).isEqualTo("uploaded");
        assertThat(done.path("resumed").asBoolean()).isTrue();
        assertThat(done.path("parts_sent").asInt()).isEqualTo(7 - held);

        Path target = temp.resolve("downloaded.bin");
        Cli.Result downloaded = Cli.run(temp, common("download", fileId, "-o", target.toString(), "--json",
                "--quiet"));
        assertThat(downloaded.exit()).as(downloaded.err()).isZero();
        JsonNode fetched = JSON.readTree(downloaded.out());
        assertThat(fetched.path("verified_by_parts").asBoolean()).isTrue();
        assertThat(fetched.path("part_count").asInt()).isEqualTo(7);
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(file.toPath()));

        Cli.Result status = Cli.run(temp, common("status", fileId, "--json"));
        assertThat(JSON.readTree(status.out()).path("upload_status").asText()).isEqualTo("uploaded");
    }

    @Test
    void badInputGetsOneLineAndItsExitCode() throws Exception {
        Cli.Result missing = Cli.run(temp, common("upload", temp.resolve("nope.bin").toString()));
        assertOneLine(missing, 2, "no such file");

        Cli.Result directory = Cli.run(temp, common("upload", temp.toString()));
        assertOneLine(directory, 2, "is a directory");

        Cli.Result badSize = Cli.run(temp, common("upload", "--part-size", "lots", "x"));
        assertThat(badSize.exit()).isEqualTo(2);
        assertThat(badSize.err()).contains("not a size").doesNotContain("\tat ");

        // Malformed arguments: a usage error naming the argument, before any call (was a NullPointerException, exit 1).
        Cli.Result emptyId = Cli.run(temp, common("download", ""));
        assertThat(emptyId.exit()).as(emptyId.err()).isEqualTo(2);
        assertThat(emptyId.err()).startsWith("freight: ").contains("FILE_ID", "'' is not a file id")
                .doesNotContain("Exception", "\tat ");
        Cli.Result noToken = Cli.run(temp, common("ls", "--token-stdin"));
        assertThat(noToken.exit()).as(noToken.err()).isEqualTo(2);
        assertThat(noToken.err()).startsWith("freight: --token-stdin: the token is empty");

        Cli.Result unknown = Cli.run(temp, common("status", UUID.randomUUID().toString()));
        assertOneLine(unknown, 3, "404");

        Cli.Result abortUnknown = Cli.run(temp, common("abort", UUID.randomUUID().toString()));
        assertOneLine(abortUnknown, 3, "404");

        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        File small = ClientLibraryTest.randomFile(temp, "small.bin", 1000, 33);
        Cli.Result dead = Cli.run(temp, "upload", small.getPath(), "--server", "http://127.0.0.1:" + deadPort,
                "--retries", "1", "--state-dir", temp.resolve("state").toString());
        assertOneLine(dead, 5, "Cannot reach");

        Cli.Result nothing = Cli.run(temp, common("resume", small.getPath(), "--quiet"));
        assertOneLine(nothing, 3, "No unfinished upload");
    }

    @Test
    void resumingWithAChangedFileIsRefused() throws Exception {
        File file = ClientLibraryTest.randomFile(temp, "edited.bin", 3 * PART, 34);
        ClientLibraryTest.uploadUntil(library(new WireTap()), file, 1);
        byte[] bytes = Files.readAllBytes(file.toPath());
        bytes[bytes.length - 1] ^= 1;
        long modified = file.lastModified();
        Files.write(file.toPath(), bytes);
        assertThat(file.setLastModified(modified)).isTrue();

        Cli.Result changed = Cli.run(temp, common("resume", file.getPath(), "--quiet"));
        assertOneLine(changed, 6, "content differs");

        Files.write(file.toPath(), new byte[10]);
        Cli.Result shrunk = Cli.run(temp, common("resume", file.getPath(), "--quiet"));
        assertOneLine(shrunk, 6, "10 bytes");
    }

    private static void assertOneLine(Cli.Result result, int exit, String words) {
        assertThat(result.exit()).as(result.err()).isEqualTo(exit);
        assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("freight: ").contains(words).doesNotContain("\tat ")
                .doesNotContain("Exception");
    }
}
