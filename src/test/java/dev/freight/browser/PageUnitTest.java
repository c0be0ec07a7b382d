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
 * The JavaScript unit tests run by {@code node --test}, so {@code ./mvnw verify} runs them: the client package's
 * ({@code js/test/*.test.js}, one or more per module of {@code js/src}) and the page's own
 * ({@code src/test/js/*.test.js}), with the shared vectors they read ({@code src/test/vectors}). The package is also
 * copied where the service serves it ({@code /freight-client/v1/}, whence the page imports it), and the page's modules
 * with a {@code package.json} that marks them as ES modules (the page itself needs none). Fails, never skips, when
 * Node.js is missing.
 */
class PageUnitTest {

    @TempDir
    Path work;

    @Test
    void javaScriptUnitTestsPass() throws Exception {
        Path resources = work.resolve("src/main/resources/META-INF/resources");
        copyTree(Path.of("src/main/resources/META-INF/resources/js"), resources.resolve("js"));
        copyTree(Path.of("js/src"), resources.resolve("freight-client/v1"));
        copyTree(Path.of("js/src"), work.resolve("js/src"));
        copyTree(Path.of("js/test"), work.resolve("js/test"));
        Files.copy(Path.of("js/package.json"), work.resolve("js/package.json"));
        copyTree(Path.of("src/test/js"), work.resolve("src/test/js"));
        copyTree(Path.of("src/test/vectors"), work.resolve("src/test/vectors"));
        Files.writeString(work.resolve("package.json"), "{\"type\": \"module\"}\n");
        Path log = work.resolve("node-test.log");
        Process node = new ProcessBuilder("node", "--test", "js/test/", "src/test/js/").directory(work.toFile())
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
