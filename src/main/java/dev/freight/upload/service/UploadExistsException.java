package dev.freight.upload.service;

/** A record with this file id exists already (a concurrent init with the same Idempotency-Key won). */
public class UploadExistsException extends RuntimeException {

    public UploadExistsException(String fileId, Throwable cause) {
        super("Upload " + fileId + " exists already", cause);
    }
}
