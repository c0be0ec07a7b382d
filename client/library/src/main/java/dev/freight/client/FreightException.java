package dev.freight.client;

import java.io.IOException;

/** Anything that stopped a Freight call; the subclass says whose fault it was and whether it can be resumed. */
public class FreightException extends IOException {

    private final String fileId;

    public FreightException(String message, String fileId, Throwable cause) {
        super(message, cause);
        this.fileId = fileId;
    }

    /** The upload or file concerned, when there is one. */
    public String fileId() {
        return fileId;
    }

    /** True when {@code resume} can continue the upload (its state is kept and storage keeps its parts). */
    public boolean resumable() {
        return false;
    }
}
