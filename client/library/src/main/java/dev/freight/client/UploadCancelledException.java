package dev.freight.client;

/** The upload was cancelled (or its thread interrupted); its state is kept and {@code resume} continues it. */
public class UploadCancelledException extends FreightException {

    public UploadCancelledException(String fileId) {
        super(fileId == null ? "Cancelled before the upload started" : "Cancelled; resumable", fileId, null);
    }

    @Override
    public boolean resumable() {
        return fileId() != null;
    }
}
