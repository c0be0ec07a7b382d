package dev.freight.upload.service;

import java.util.List;

import dev.freight.upload.storage.StoredPart;

/** An upload with the parts storage holds for it (empty once the upload is final). */
public record UploadProgress(Upload upload, List<StoredPart> storedParts) {

    /** Bytes storage holds; the whole file once uploaded. */
    public long bytesUploaded() {
        if (upload.status() == UploadStatus.UPLOADED) {
            return upload.fileSize();
        }
        return storedParts.stream().mapToLong(StoredPart::size).sum();
    }
}
