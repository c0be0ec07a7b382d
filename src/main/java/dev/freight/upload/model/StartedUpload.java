package dev.freight.upload.model;

import java.util.List;

/** A freshly initiated upload with URLs for its first parts. */
public record StartedUpload(Upload upload, List<SignedPart> parts) {
}
