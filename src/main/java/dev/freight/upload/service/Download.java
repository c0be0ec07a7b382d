package dev.freight.upload.service;

import dev.freight.upload.storage.SignedUrl;

/** An uploaded file with a presigned GET for it. */
public record Download(Upload upload, SignedUrl url) {
}
