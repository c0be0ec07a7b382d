package dev.freight.upload.api;

import java.util.Map;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;

/**
 * What Uppy says about a file it starts through the Companion routes: its name, its type and its metadata (Uppy's
 * {@code file.meta}, values as text). Held to the rules of an init's {@code filename}, {@code file_type} and
 * {@code metadata}; the field names are Uppy's.
 */
record CompanionFile(String filename, String type, Map<String, String> metadata) implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.notBlank("filename", filename).safeText("filename", filename, 255, true);
        fields.notBlank("type", type).mediaType("type", type, 255, "must be a media type such as video/mp4");
        InitRequest.checkMetadata(fields, metadata);
    }
}
