package dev.freight.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's JavaScript unit tests ({@code src/test/js/*.test.js}, one or more per pure module) run by
 * {@code node --test}, so {@code ./mvnw verify} runs them, with the shared vectors they read
 * ({@code src/test/vectors}). The modules are copied with a {@code package.json} that
 * marks them as ES modules (the page itself needs none). Fails, never skips, when Node.js is missing.
 */
class PageUnitTest {

    @TempDir
    Path work;

    @Test
    void javaScriptUnitTestsPass() throws Exception {
        copyTree(Path.of("src/main/resources/META-INF/resources/js"), work.resolve("src/main/resources/META-INF/resources/js"));
        copyTree(Path.of("src/test/js"), work.resolve("src/test/js"));
        copyTree(Path.of("src/test/vectors"), work.resolve("src/test/vectors"));
        Files.writeString(work.resolve("package.json"), "{\"type\": \"module\"}\n");
        Path log = work.resolve("node-test.log");
        Process node = new ProcessBuilder("node", "--test", "src/test/js/").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node --test finished").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
