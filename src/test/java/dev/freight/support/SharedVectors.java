package dev.freight.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The language-neutral vectors in {@code src/test/vectors} (its README.md says what each file holds), which the
 * page's and the Java client's tests read too, and the generated files they describe.
 */
public final class SharedVectors {

    private static final Path FOLDER = Path.of("src/test/vectors");

    private SharedVectors() {
    }

    /** The whole document of {@code name}, e.g. {@code part-plans.json}. */
    public static JsonNode read(String name) {
        try {
            return new ObjectMapper().readTree(Files.readString(FOLDER.resolve(name), StandardCharsets.UTF_8));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Bytes {@code [start, end)} of the generated file {@code seed}: block k is SHA-256(seed ‖ k as 8 bytes, BE). */
    public static byte[] generated(String seed, long start, long end) {
        byte[] out = new byte[Math.toIntExact(end - start)];
        byte[] seedBytes = seed.getBytes(StandardCharsets.UTF_8);
        for (long block = start / 32; block * 32 < end; block++) {
            MessageDigest digest = sha256();
            digest.update(seedBytes);
            for (int shift = 56; shift >= 0; shift -= 8) {
                digest.update((byte) (block >>> shift));
            }
            byte[] bytes = digest.digest();
            for (int i = 0; i < 32; i++) {
                long at = block * 32 + i;
                if (at >= start && at < end) {
                    out[(int) (at - start)] = bytes[i];
                }
            }
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
