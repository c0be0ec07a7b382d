package dev.freight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against the code: the table cannot name a key the service does not read, leave one out, or
 * state another default than the one the service runs with. Plain JUnit: reads the sources, starts nothing.
 */
class ConfigurationDocTest {

    private static final Path PAGE = Path.of("docs/configuration.md");
    private static final Pattern FREIGHT_KEY = Pattern.compile("`(freight\\.[a-z][a-z0-9.-]*[a-z0-9])`");

    private final ServiceSettings settings = new ServiceSettings();
    private final List<Map<String, String>> rows = MarkdownTables.rows(PAGE, "Property");

    @Test
    void everyFreightKeyIsDocumentedOnceAndEveryDocumentedOneExists() {
        List<String> documented = rows.stream().map(row -> MarkdownTables.leadingCode(row.get("Property")))
                .filter(key -> key != null && key.startsWith("freight.")).toList();
        assertThat(documented).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(settings.freightKeys.keySet());
    }

    @Test
    void everyDefaultIsTheOneTheServiceRunsWith() {
        SoftAssertions softly = new SoftAssertions();
        for (Map<String, String> row : rows) {
            String key = MarkdownTables.leadingCode(row.get("Property"));
            if (key == null || key.contains("*")) {
                continue;
            }
            String documented = MarkdownTables.leadingCode(row.get("Default"));
            Optional<String> actual = settings.effective(key);
            if (key.startsWith("freight.") || documented == null) {
                // Freight's own keys: both ways. Others: a documented default must be what application.properties
                // sets; Quarkus's own defaults (no line in the file) are not checked here.
                softly.assertThat(Optional.ofNullable(documented)).as("default of %s", key).isEqualTo(actual);
            } else if (actual.isPresent()) {
                softly.assertThat(documented).as("default of %s", key).isEqualTo(actual.get());
            }
        }
        softly.assertAll();
    }

    @Test
    void everyEnvironmentVariableIsItsPropertys() {
        SoftAssertions softly = new SoftAssertions();
        for (Map<String, String> row : rows) {
            String key = MarkdownTables.leadingCode(row.get("Property"));
            if (key != null && !key.contains("*")) {
                softly.assertThat(MarkdownTables.leadingCode(row.get("Environment variable"))).as(key)
                        .isEqualTo(ServiceSettings.environmentVariable(key));
            }
        }
        softly.assertAll();
    }

    /** Prose elsewhere may name a setting, never one that does not exist (a renamed key would go stale there). */
    @Test
    void everyFreightKeyNamedInTheReadmeOrDocsExists() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        try (Stream<Path> pages = Stream.concat(Stream.of(Path.of("README.md")), Files.list(Path.of("docs")))) {
            pages.filter(page -> page.toString().endsWith(".md")).forEach(page -> {
                Matcher named = FREIGHT_KEY.matcher(MarkdownTables.read(page));
                while (named.find()) {
                    softly.assertThat(settings.freightKeys).as("%s names %s", page, named.group(1))
                            .containsKey(named.group(1));
                }
            });
        }
        softly.assertAll();
    }
}
