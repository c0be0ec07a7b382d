package dev.freight.upload.service;

/** Storage no longer knows the multipart upload (it was aborted, completed or expired). */
public class UploadGoneException extends RuntimeException {

    public UploadGoneException(String uploadId, Throwable cause) {
        super("Multipart upload " + uploadId + " no longer exists", cause);
    }
}
