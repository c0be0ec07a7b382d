package dev.freight.client;

/** There is nothing to resume: no local state, no matching unfinished upload, or the upload ended. */
public class NotResumableException extends FreightException {

    public NotResumableException(String message, String fileId) {
        super(message, fileId, null);
    }
}
