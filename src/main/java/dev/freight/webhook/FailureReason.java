package dev.freight.webhook;

/** Why an upload failed, as {@code upload.failed} reports it. */
public enum FailureReason {
    /** Its deadline passed unfinished. */
    EXPIRED("expired"),
    /** Storage no longer held its multipart upload, and no assembled file. */
    VANISHED("vanished"),
    /** Storage assembled an object whose composite checksum is not its parts'. */
    CHECKSUM_MISMATCH("checksum_mismatch");

    private final String wireName;

    FailureReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
