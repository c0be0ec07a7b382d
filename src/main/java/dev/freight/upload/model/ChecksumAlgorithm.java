package dev.freight.upload.model;

/**
 * How storage guards an upload's parts, by S3's rules for multipart checksums: an upload is created with an
 * algorithm or without one, and every part and the complete request must agree with that choice.
 */
public enum ChecksumAlgorithm {
    /** No algorithm: parts carry no checksum (S3 refuses a SHA-256 on them), complete names only ETags. */
    NONE(null),
    /** S3's SHA-256: every part URL is bound to its part's digest, complete names each part's checksum. */
    SHA256("SHA256");

    private final String wireName;

    ChecksumAlgorithm(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code checksum_algorithm} in the API (and S3's name), null for {@link #NONE}. */
    public String wireName() {
        return wireName;
    }

    /** The algorithm a request names ({@code null}: none). */
    public static ChecksumAlgorithm fromWireName(String name) {
        if (name == null) {
            return NONE;
        }
        for (ChecksumAlgorithm algorithm : values()) {
            if (name.equals(algorithm.wireName)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown checksum algorithm " + name);
    }
}
