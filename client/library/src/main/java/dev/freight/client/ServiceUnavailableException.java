package dev.freight.client;

/** The service (or storage) could not be reached or kept answering 503/429 through every retry. */
public class ServiceUnavailableException extends FreightException {

    public ServiceUnavailableException(String message, String fileId, Throwable cause) {
        super(message, fileId, cause);
    }

    @Override
    public boolean resumable() {
        return fileId() != null;
    }
}
