package dev.freight.upload.model;


/** A part number with the URL signed for it and the exact size the URL accepts. */
public record SignedPart(int partNumber, long size, SignedUrl url) {
}
