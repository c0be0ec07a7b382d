package dev.freight.upload.service;

import dev.freight.upload.storage.SignedUrl;

/** A part number with the URL signed for it. */
public record SignedPart(int partNumber, SignedUrl url) {
}
