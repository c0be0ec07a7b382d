package dev.freight.client;

/**
 * Storage (S3) refused a part's bytes or a download, even after the part was read again: {@link #code()} and the
 * message are storage's own words (BadDigest, InvalidRequest, ...).
 */
public class StorageException extends FreightException {

    private final int status;
    private final String code;
    private final int partNumber;

    public StorageException(String message, int status, String code, int partNumber, String fileId) {
        super(message, fileId, null);
        this.status = status;
        this.code = code;
        this.partNumber = partNumber;
    }

    public int status() {
        return status;
    }

    /** Storage's error code (S3's {@code <Code>}), or null. */
    public String code() {
        return code;
    }

    public int partNumber() {
        return partNumber;
    }

    @Override
    public boolean resumable() {
        return fileId() != null;
    }
}
