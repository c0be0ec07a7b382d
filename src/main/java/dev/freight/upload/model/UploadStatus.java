package dev.freight.upload.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an upload stands: {@code uploading} -> {@code uploaded} | {@code failed} | {@code aborted}. */
public enum UploadStatus {
    UPLOADING, UPLOADED, FAILED, ABORTED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    public static UploadStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase());
    }
}
