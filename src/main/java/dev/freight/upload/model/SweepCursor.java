package dev.freight.upload.model;

/**
 * Where a walk through storage's open multipart uploads stands: S3's key and upload-id markers of the last upload
 * read ({@link #START} before the first page), so a sweep stopped by its bound or by a crash goes on from there.
 */
public record SweepCursor(String keyMarker, String uploadIdMarker) {

    public static final SweepCursor START = new SweepCursor(null, null);

    public boolean isStart() {
        return keyMarker == null;
    }
}
