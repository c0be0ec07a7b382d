package dev.freight.upload.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import dev.freight.upload.api.InitRequest;

/**
 * What makes a retried init recognisable: the file id an Idempotency-Key maps to (per owner), and a fingerprint of
 * the request so that the same key with another body can be refused.
 */
final class IdempotentInit {

    private IdempotentInit() {
    }

    /**
     * The upload's file id for {@code key}: derived (SHA-256 of owner and key, shaped as a version 8 UUID) so that
     * retries, even concurrent ones on other instances, land on the same DynamoDB item without a lookup table.
     */
    static UUID fileId(String owner, String key) {
        byte[] digest = sha256(owner + "\n" + key);
        long high = bytesToLong(digest, 0);
        long low = bytesToLong(digest, 8);
        high = (high & ~0xF000L) | 0x8000L; // version 8: custom
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low);
    }

    /** Fingerprint of everything the init request asks for, with the author it resolved to. */
    static String fingerprint(InitRequest request, String authorName) {
        Map<String, String> metadata = request.metadata() == null ? Map.of() : new TreeMap<>(request.metadata());
        String canonical = String.join("\n", request.filename(), request.fileType(), request.fileSize().toString(),
                authorName, Objects.toString(request.createdAt()), Objects.toString(request.partSize()),
                Objects.toString(request.checksumSha256()), metadata.toString(),
                Objects.toString(request.checksumAlgorithm()));
        return HexFormat.of().formatHex(sha256(canonical));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static long bytesToLong(byte[] bytes, int offset) {
        long value = 0;
        for (int index = offset; index < offset + 8; index++) {
            value = (value << 8) | (bytes[index] & 0xff);
        }
        return value;
    }
}
