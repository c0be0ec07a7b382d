package dev.freight.client;

/** A finished upload: what the service recorded and what this run sent. */
public final class UploadResult {

    private final RemoteUpload upload;
    private final int partsSent;
    private final long bytesSent;
    private final long elapsedMillis;
    private final boolean resumed;

    /** Made by the library (public for its internal package). */
    public UploadResult(RemoteUpload upload, int partsSent, long bytesSent, long elapsedMillis, boolean resumed) {
        this.upload = upload;
        this.partsSent = partsSent;
        this.bytesSent = bytesSent;
        this.elapsedMillis = elapsedMillis;
        this.resumed = resumed;
    }

    /** The service's answer to complete (status {@code uploaded}, ETag, composite checksum). */
    public RemoteUpload upload() {
        return upload;
    }

    public String fileId() {
        return upload.fileId();
    }

    /** Parts this run PUT (resends included); on a resume, only those storage lacked. */
    public int partsSent() {
        return partsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long elapsedMillis() {
        return elapsedMillis;
    }

    public boolean resumed() {
        return resumed;
    }
}
