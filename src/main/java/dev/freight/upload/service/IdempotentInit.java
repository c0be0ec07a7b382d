package dev.freight.upload.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

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

    /**
     * Fingerprint of everything the init request asks for, with the author it resolved to. The encoding is
     * canonical: every field is length-prefixed (absent fields have their own mark) and metadata is sorted by key,
     * so two different requests never share an encoding whatever their values contain, and the same request always
     * gives the same one.
     */
    static String fingerprint(NewUpload request, String authorName) {
        StringBuilder canonical = new StringBuilder("init-v2");
        for (Object field : new Object[] { request.filename(), request.fileType(), request.fileSize(), authorName,
                request.createdAt(), request.partSize(), request.checksumSha256(),
                request.checksumAlgorithm().wireName() }) {
            append(canonical, field);
        }
        Map<String, String> metadata = request.metadata() == null ? Map.of() : new TreeMap<>(request.metadata());
        append(canonical, metadata.size());
        metadata.forEach((key, value) -> {
            append(canonical, key);
            append(canonical, value);
        });
        return HexFormat.of().formatHex(sha256(canonical.toString()));
    }

    /** {@code |<length>:<text>}, or {@code |~} for an absent value. */
    static void append(StringBuilder canonical, Object field) {
        if (field == null) {
            canonical.append("|~");
            return;
        }
        String text = field.toString();
        canonical.append('|').append(text.length()).append(':').append(text);
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
