package dev.freight.upload.model;

/**
 * S3's multipart limits, in one place (Amazon S3 User Guide, "Amazon S3 multipart upload limits"). Every plan,
 * request bound and configuration check is held to these.
 */
public final class S3Limits {

    /** Every part but the last is at least 5 MiB. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** A part is at most 5 GiB. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** A multipart upload has at most 10,000 parts. */
    public static final int MAX_PARTS = 10_000;
    /** An object is at most 5 TiB. */
    public static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

    private S3Limits() {
    }
}
