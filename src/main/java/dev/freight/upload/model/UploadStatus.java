package dev.freight.upload.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an upload stands: {@code uploading} -> ({@code completing} while storage assembles the file, when that
 * takes longer than a complete call waits) -> {@code uploaded} | {@code failed} | {@code aborted}.
 */
public enum UploadStatus {
    UPLOADING, COMPLETING, UPLOADED, FAILED, ABORTED;

    /** Whether the upload is still open: its multipart upload lives and it counts against its owner's quota. */
    public boolean isOpen() {
        return this == UPLOADING || this == COMPLETING;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    public static UploadStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase());
    }
}
