package dev.freight.dynamodb.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * With {@code -Dfreight.differential.transcript=<file>}, appends every request and both raw answers to the file, to
 * review dynalite's answers against AWS's documentation or to report a discrepancy with its request.
 */
final class Transcript {

    private static final String FILE = System.getProperty("freight.differential.transcript");

    private Transcript() {
    }

    static void record(String where, WireClient.Answer dynalite, WireClient.Answer engine) {
        if (FILE == null || FILE.isBlank()) {
            return;
        }
        String entry = where.replaceAll("\\s*\\n\\s*", " ") + "\n  dynalite " + dynalite.status() + " " + dynalite.body()
                + "\n  engine   " + engine.status() + " " + engine.body() + "\n";
        try {
            Files.writeString(Path.of(FILE), entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
