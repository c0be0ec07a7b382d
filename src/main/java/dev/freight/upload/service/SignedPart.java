package dev.freight.upload.service;

import dev.freight.upload.storage.SignedUrl;

/** A part number with the URL signed for it and the exact size the URL accepts. */
public record SignedPart(int partNumber, long size, SignedUrl url) {
}
