package dev.freight.upload.model;

import java.util.List;

/**
 * One page of storage's open multipart uploads.
 *
 * @param next where the following page starts, null when this was the last one
 */
public record OpenUploadsPage(List<OpenMultipartUpload> uploads, SweepCursor next) {

    public OpenUploadsPage {
        uploads = List.copyOf(uploads);
    }
}
