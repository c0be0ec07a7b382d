package dev.freight.dynamodb.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Durable storage of a data directory: a snapshot ({@code snapshot.jsonl}) and an append-only journal of the
 * mutations applied since ({@code journal.jsonl}), one JSON object a line. Each mutation is written to the OS before
 * the request is answered, so a killed process loses nothing the OS got (no fsync: a power cut may lose the tail).
 * Replaying a torn last line stops there. Every entry sets a state outright (create, alter, drop, put, delete), so
 * replaying the journal over the snapshot it was folded into gives the same tables.
 */
public final class Journal implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT = "snapshot.jsonl";
    private static final String JOURNAL = "journal.jsonl";

    private final Path directory;
    private OutputStream out;
    private int entries;

    public Journal(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Feeds every stored entry, snapshot first, to {@code apply}; then opens the journal for appending. */
    public void replay(Consumer<JsonNode> apply) {
        read(directory.resolve(SNAPSHOT), apply);
        entries = read(directory.resolve(JOURNAL), apply);
        open();
    }

    private static int read(Path file, Consumer<JsonNode> apply) {
        if (!Files.exists(file)) {
            return 0;
        }
        int count = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry;
                try {
                    entry = JSON.readTree(line);
                } catch (IOException torn) {
                    break; // the process died while writing this line
                }
                apply.accept(entry);
                count++;
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        return count;
    }

    private void open() {
        try {
            out = Files.newOutputStream(directory.resolve(JOURNAL), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Appends the entries of one request (all of a transaction's in one write) and hands them to the OS. */
    public synchronized void append(List<? extends JsonNode> batch) {
        try {
            StringBuilder text = new StringBuilder();
            for (JsonNode entry : batch) {
                text.append(JSON.writeValueAsString(entry)).append('\n');
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            entries += batch.size();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public synchronized int entries() {
        return entries;
    }

    /** Replaces snapshot and journal by a snapshot of {@code state} (the entries that rebuild today's tables). */
    public synchronized void compact(Iterable<? extends JsonNode> state) {
        Path temporary = directory.resolve(SNAPSHOT + ".tmp");
        try (OutputStream snapshot = Files.newOutputStream(temporary)) {
            for (JsonNode entry : state) {
                snapshot.write(JSON.writeValueAsBytes(entry));
                snapshot.write('\n');
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        try {
            Files.move(temporary, directory.resolve(SNAPSHOT), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            out.close();
            Files.write(directory.resolve(JOURNAL), new byte[0]);
            entries = 0;
            open();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
