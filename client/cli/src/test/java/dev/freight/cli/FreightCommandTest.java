package dev.freight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.freight.client.NotResumableException;
import dev.freight.client.ServiceException;
import dev.freight.client.ServiceUnavailableException;
import dev.freight.client.SourceChangedException;
import dev.freight.client.StorageException;
import dev.freight.client.UploadCancelledException;
import dev.freight.client.VerificationException;

/** The command line's parsing, messages and exit codes, without a server (the end-to-end tests run it for real). */
class FreightCommandTest {

    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FreightCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void sizesReadLikePeopleWriteThem() {
        Sizes sizes = new Sizes();
        assertThat(sizes.convert("5242880")).isEqualTo(5L << 20);
        assertThat(sizes.convert("16M")).isEqualTo(16L << 20);
        assertThat(sizes.convert("16MiB")).isEqualTo(16L << 20);
        assertThat(sizes.convert("1g")).isEqualTo(1L << 30);
        assertThat(sizes.convert("1.5K")).isEqualTo(1536L);
        assertThat(Sizes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.duration(3725)).isEqualTo("1h02m");
    }

    @Test
    void usageErrorsAreOneLineAndExitCode2() throws Exception {
        Run none = run();
        assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).startsWith("freight: Missing a command");

        Run missing = run("upload", temp.resolve("absent.bin").toString(), "--state-dir", temp.toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err().strip()).isEqualTo("freight: " + temp.resolve("absent.bin") + ": no such file");

        Run directory = run("upload", temp.toString(), "--state-dir", temp.toString());
        assertThat(directory.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(directory.err()).contains("is a directory");

        File file = Files.write(temp.resolve("f.bin"), new byte[10]).toFile();
        Run parallel = run("upload", file.getPath(), "--parallel", "0", "--state-dir", temp.toString());
        assertThat(parallel.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(parallel.err()).contains("--parallel must be 1..64");

        Run server = run("status", "123e4567-e89b-42d3-a456-426614174000", "--server", "ftp://nope");
        assertThat(server.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(server.err()).contains("--server must be an http(s) URL");
    }

    @Test
    void everyMalformedArgumentIsAUsageErrorNamingIt() throws Exception {
        File file = Files.write(temp.resolve("g.bin"), new byte[10]).toFile();
        String state = temp.resolve("state").toString();
        String dead = "http://127.0.0.1:1";
        String id = "123e4567-e89b-42d3-a456-426614174000";
        assertUsage(run("download", ""), "FILE_ID", "'' is not a file id");
        assertUsage(run("download", "   "), "FILE_ID", "is not a file id");
        assertUsage(run("status", "../../etc/passwd"), "FILE_ID", "is not a file id");
        assertUsage(run("abort", "x"), "FILE_ID", "is not a file id");
        assertUsage(run("resume", file.getPath(), "--id", "nope"), "--id", "is not a file id");
        assertUsage(run("download", id, "--parallel", "0", "--server", dead), "--parallel must be 1..64");
        assertUsage(run("download", id, "-o", "", "--server", dead), "--output must name");
        assertUsage(run("ls", "--limit", "0", "--server", dead, "--state-dir", state), "--limit must be at least 1");
        assertUsage(run("status", id, "--retries", "-1", "--server", dead), "--retries must be 0..100");
        assertUsage(run("status", id, "--state-dir", "", "--server", dead), "--state-dir must name");
        assertUsage(run("upload", file.getPath(), "--part-size", "0", "--state-dir", state), "--part-size",
                "at least 1 byte");
        assertUsage(run("upload", file.getPath(), "--type", " ", "--server", dead, "--state-dir", state), "--type");
        assertUsage(run("status", id, "--token-file", temp.resolve("absent").toString(), "--server", dead),
                "--token-file", "cannot read");
        Path empty = Files.writeString(temp.resolve("empty-token"), "\n");
        assertUsage(run("status", id, "--token-file", empty.toString(), "--server", dead), "--token-file",
                "the token is empty");
        assertUsage(run("status", id, "--token", "a", "--token-stdin", "--server", dead), "exclude each other");
    }

    @Test
    void theTokenComesFromTheEnvironmentAFileOrStandardInputAndTheCommandLineOnlyWithAWarning() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"title\":\"Upload not found\",\"status\":404}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            String id = "123e4567-e89b-42d3-a456-426614174000";
            Path tokenFile = Files.writeString(temp.resolve("token"), "from-file\n");

            Run fromEnvironment = run(Map.of("FREIGHT_TOKEN", "from-env"), "", "status", id, "--server", url);
            Run fromFile = run(Map.of("FREIGHT_TOKEN", "from-env"), "", "status", id, "--server", url,
                    "--token-file", tokenFile.toString());
            Run fromStdin = run(Map.of(), "from-stdin\nignored\n", "status", id, "--server", url, "--token-stdin");
            Run fromCommandLine = run(Map.of(), "", "status", id, "--server", url, "--token", "from-argv");
            Run none = run(Map.of(), "", "status", id, "--server", url);

            assertThat(seen).containsExactly("Bearer from-env", "Bearer from-file", "Bearer from-stdin",
                    "Bearer from-argv", "null");
            for (Run refused : List.of(fromEnvironment, fromFile, fromStdin, none)) {
                assertThat(refused.exit()).as(refused.err()).isEqualTo(ExitCode.REFUSED);
                assertThat(refused.err()).doesNotContain("warning");
            }
            assertThat(fromCommandLine.exit()).isEqualTo(ExitCode.REFUSED);
            assertThat(fromCommandLine.err()).contains("warning: --token is visible to other local users (ps)",
                    "FREIGHT_TOKEN", "--token-file", "--token-stdin");
        } finally {
            server.stop(0);
        }
    }

    private Run run(Map<String, String> environment, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FreightCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), environment,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertUsage(Run run, String... words) {
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("freight: ").contains(words).doesNotContain("Exception", "\tat ");
    }

    @Test
    void deadLettersAreListedAndReplayedWithTheAdminToken() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/api/admin/webhooks/dead-letters", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            boolean admin = "Bearer admin-secret".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            String answer = !admin ? "{\"detail\":\"The admin bearer token is required\"}"
                    : exchange.getRequestMethod().equals("POST") ? "{\"replayed\":1}"
                    : "{\"dead_letters\":[{\"delivery\":\"event#f#1#crm\",\"type\":\"upload.created\","
                            + "\"endpoint\":\"crm\",\"attempts\":8,\"dead_lettered_at\":\"2026-12-07T22:00:00Z\","
                            + "\"last_error\":\"HTTP 500\"}]}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(admin ? 200 : 401, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        service.start();
        try {
            String url = "http://127.0.0.1:" + service.getAddress().getPort();
            Run listed = run("dead-letters", "--server", url, "--admin-token", "admin-secret");
            assertThat(listed.exit()).isEqualTo(ExitCode.OK);
            assertThat(listed.out().strip())
                    .isEqualTo("event#f#1#crm  upload.created  crm  8 attempt(s)  2026-12-07T22:00:00Z  HTTP 500");
            Run replayed = run("dead-letters", "--server", url, "--admin-token", "admin-secret", "--replay",
                    "event#f#1#crm");
            assertThat(replayed.out().strip()).isEqualTo("1 replayed");
            assertThat(seen.get(1)).isEqualTo("POST /api/admin/webhooks/dead-letters/replay Bearer admin-secret "
                    + "{\"deliveries\":[\"event#f#1#crm\"]}");
            Run refused = run("dead-letters", "--server", url, "--admin-token", "wrong");
            assertThat(refused.exit()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.err().strip())
                    .isEqualTo("freight: the service answered 401: The admin bearer token is required");
            assertUsage(run("dead-letters", "--server", url, "--replay", "a", "--replay-all", "--admin-token", "x"),
                    "exclude each other");
        } finally {
            service.stop(0);
        }
    }

    @Test
    void nothingToResumeIsNotAnError() {
        Run resume = run("resume", "--state-dir", temp.resolve("empty").toString(), "--server", "http://127.0.0.1:1");
        assertThat(resume.exit()).isZero();
        assertThat(resume.err()).contains("nothing to resume");
    }

    @Test
    void everyFailureKindHasItsExitCode() {
        assertThat(ExitCode.of(new UploadCancelledException("id"))).isEqualTo(130);
        assertThat(ExitCode.of(new SourceChangedException("changed", "id"))).isEqualTo(6);
        assertThat(ExitCode.of(new StorageException("refused", 400, "BadDigest", 1, "id"))).isEqualTo(4);
        assertThat(ExitCode.of(new VerificationException("corrupt", "id"))).isEqualTo(4);
        assertThat(ExitCode.of(new ServiceUnavailableException("down", null, null))).isEqualTo(5);
        assertThat(ExitCode.of(new ServiceException(404, null, "Not found", "no such upload", "", "id"))).isEqualTo(3);
        assertThat(ExitCode.of(new NotResumableException("nothing", null))).isEqualTo(3);
        assertThat(ExitCode.of(new IllegalStateException("bug"))).isEqualTo(1);
    }
}
