package dev.freight.upload.service;

import java.util.List;

/** A freshly initiated upload with URLs for its first parts. */
public record StartedUpload(Upload upload, List<SignedPart> parts) {
}
