package dev.freight.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

/** Deterministic test files and the digests clients compute on them. */
public final class TestFiles {

    public static final int MIB = 1024 * 1024;

    private TestFiles() {
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Part {@code partNumber} (1-based) of {@code file} cut in {@code partSize} pieces. */
    public static byte[] part(byte[] file, long partSize, int partNumber) {
        int from = (int) ((partNumber - 1) * partSize);
        return Arrays.copyOfRange(file, from, (int) Math.min(file.length, from + partSize));
    }

    public static String sha256Base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(digest(bytes));
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Each part's SHA-256 (base64), parts 1..{@code parts} of {@code file} cut in {@code partSize} pieces. */
    public static java.util.List<String> partDigests(byte[] file, long partSize, int parts) {
        java.util.List<String> digests = new java.util.ArrayList<>();
        for (int partNumber = 1; partNumber <= parts; partNumber++) {
            digests.add(sha256Base64(part(file, partSize, partNumber)));
        }
        return digests;
    }
}
