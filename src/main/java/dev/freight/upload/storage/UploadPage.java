package dev.freight.upload.storage;

import java.util.List;

import dev.freight.upload.service.Upload;

/** One page of an author's uploads; {@code nextToken} is null on the last page. */
public record UploadPage(List<Upload> uploads, String nextToken) {
}
