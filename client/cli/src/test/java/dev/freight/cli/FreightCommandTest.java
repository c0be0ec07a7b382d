package dev.freight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        Run server = run("status", "x", "--server", "ftp://nope");
        assertThat(server.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(server.err()).contains("--server must be an http(s) URL");
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
