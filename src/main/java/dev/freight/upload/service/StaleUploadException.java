package dev.freight.upload.service;

/** The metadata record changed since it was read: another request won the optimistic lock. */
public class StaleUploadException extends RuntimeException {

    public StaleUploadException(String fileId, Throwable cause) {
        super("Upload " + fileId + " changed concurrently", cause);
    }
}
