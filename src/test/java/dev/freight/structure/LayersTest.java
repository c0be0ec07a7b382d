package dev.freight.structure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every reference between Freight's packages points down the layers, read from the sources (imports and fully
 * qualified names alike): HTTP on top, then the storage adapters, the upload rules (which own the ports the
 * adapters implement), metrics, the classification of storage failures, configuration, problems, and the model
 * everything shares at the bottom. The dev-mode emulators stand aside: only configuration and the shared model
 * (S3's formulas) are theirs to read, and nothing of the service reads them.
 */
class LayersTest {

    /** Package -> layer; a class may refer to its own package and to lower layers only. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("dev.freight.upload.model", 0),
            Map.entry("dev.freight.problem", 1),
            Map.entry("dev.freight.config", 2),
            Map.entry("dev.freight.upload.failure", 3),
            // Webhooks: signing, sending, the event bodies and the pre-create hook's call (no storage, no rules).
            Map.entry("dev.freight.webhook", 3),
            Map.entry("dev.freight.metrics", 4),
            // The service owns the ports (UploadRecords, MultipartStorage, UrlSigner, SweepLease) and their
            // exceptions; the storage adapters implement them, so they sit above it.
            Map.entry("dev.freight.upload.service", 5),
            Map.entry("dev.freight.upload.storage", 6),
            Map.entry("dev.freight.upload.api.validation", 7),
            Map.entry("dev.freight.upload.api", 8),
            Map.entry("dev.freight.health", 8),
            Map.entry("dev.freight.web", 8),
            Map.entry("dev.freight.logging", 8),
            Map.entry("dev.freight.embedded", 3),
            // The DynamoDB engine of dynamodb/ is a library of its own (like the AWS SDK), under every layer.
            Map.entry("dev.freight.dynamodb.engine", -1),
            Map.entry("dev.freight.dynamodb.limits", -1),
            Map.entry("dev.freight.dynamodb.server", -1));
    private static final String EMBEDDED = "dev.freight.embedded";
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])(dev\\.freight(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void everyReferenceBetweenPackagesPointsDown() throws IOException {
        List<String> upward = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Path file : sources()) {
            String source = Files.readString(file);
            Matcher declared = PACKAGE.matcher(source);
            assertThat(declared.find()).as(file.toString()).isTrue();
            String own = declared.group(1);
            Integer ownLayer = LAYERS.get(own);
            if (ownLayer == null) {
                unknown.add(own + " (" + file + ")");
                continue;
            }
            Matcher reference = REFERENCE.matcher(source);
            while (reference.find()) {
                String target = reference.group(1);
                Integer targetLayer = LAYERS.get(target);
                if (target.equals(own)) {
                    continue;
                }
                if (targetLayer == null) {
                    unknown.add(target + " (from " + file + ")");
                } else if (targetLayer >= ownLayer || target.equals(EMBEDDED)) {
                    upward.add(file.getFileName() + ": " + own + " -> " + target);
                }
            }
        }
        assertThat(unknown).as("packages without a layer").isEmpty();
        assertThat(upward).as("references that do not point down").isEmpty();
    }

    @Test
    void theCheckSeesAnUpwardReference() {
        Matcher reference = REFERENCE.matcher("import dev.freight.upload.storage.MetadataTable;");
        assertThat(reference.find()).isTrue();
        assertThat(LAYERS.get(reference.group(1))).isGreaterThan(LAYERS.get("dev.freight.upload.service"));
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        }
    }
}
