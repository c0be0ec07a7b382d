package dev.freight.client;

import java.util.List;

/** One page of the caller's uploads, newest first; {@link #nextToken()} is null on the last page. */
public final class UploadPage {

    private final List<RemoteUpload> uploads;
    private final String nextToken;

    /** Made by the library (public for its internal package). */
    public UploadPage(List<RemoteUpload> uploads, String nextToken) {
        this.uploads = uploads;
        this.nextToken = nextToken;
    }

    public List<RemoteUpload> uploads() {
        return uploads;
    }

    public String nextToken() {
        return nextToken;
    }
}
