package dev.freight.upload.model;

import java.util.List;


/** An upload with the parts storage holds for it (empty once the upload is final). */
public record UploadProgress(Upload upload, List<StoredPart> storedParts) {

    /** Bytes storage holds; the whole file once uploaded or being assembled. */
    public long bytesUploaded() {
        if (upload.status() == UploadStatus.UPLOADED || upload.status() == UploadStatus.COMPLETING) {
            return upload.fileSize();
        }
        return storedParts.stream().mapToLong(StoredPart::size).sum();
    }
}
