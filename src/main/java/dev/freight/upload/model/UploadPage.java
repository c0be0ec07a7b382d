package dev.freight.upload.model;

import java.util.List;


/** One page of an author's uploads; {@code nextToken} is null on the last page. */
public record UploadPage(List<Upload> uploads, String nextToken) {
}
