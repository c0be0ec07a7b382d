package dev.freight.client;

/** The source is not the one the upload started with (size, modification time or content fingerprint differ). */
public class SourceChangedException extends FreightException {

    public SourceChangedException(String message, String fileId) {
        super(message, fileId, null);
    }
}
