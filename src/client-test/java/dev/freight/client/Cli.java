package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code freight} command line as a user runs it: the shaded jar ({@code client/cli/target/freight.jar}, built
 * by {@code ./mvnw -f client/pom.xml install}) in a JVM of its own, output captured to files.
 */
final class Cli {

    static final Path JAR = Path.of("client/cli/target/freight.jar");

    record Result(int exit, String out, String err) {
    }

    /** A started command; {@link #finish()} waits for it. */
    static final class Running {
        final Process process;
        final Path out;
        final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        Result finish() throws Exception {
            assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("freight ended in time").isTrue();
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }
    }

    private Cli() {
    }

    static Running start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        assertThat(JAR).as("build it first: ./mvnw -f client/pom.xml install").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(Arrays.asList(args));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "freight", ".out");
        Path err = Files.createTempFile(workDir, "freight", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        builder.environment().remove("FREIGHT_SERVER");
        builder.environment().remove("FREIGHT_TOKEN");
        return new Running(builder.start(), out, err);
    }

    static Result run(Path workDir, String... args) throws Exception {
        return start(workDir, List.of(), args).finish();
    }
}
