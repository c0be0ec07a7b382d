package dev.freight.upload.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.freight.config.Rfc3339InstantDeserializer;
import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.service.NewUpload;

/**
 * Body of {@code POST /api/upload/init}: what the client knows about the file it is about to send.
 * {@code author_name} defaults to the caller's name from its token. With {@code checksum_algorithm} SHA256,
 * {@code parts} lists the first parts with their digests so that their URLs come with the answer.
 */
public record InitRequest(
        String filename,
        String fileType,
        Long fileSize,
        String authorName,
        @JsonDeserialize(using = Rfc3339InstantDeserializer.class) Instant createdAt,
        Long partSize,
        String checksumAlgorithm,
        String checksumSha256,
        @JsonDeserialize(using = PartListDeserializer.class) List<PartUrlRequest> parts,
        Map<String, String> metadata) implements ValidatedBody {

    private static final Pattern NOT_BLANK = Pattern.compile(".*\\S.*");
    private static final Pattern SHA256 = Pattern.compile("SHA256");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_METADATA_ENTRIES = 32;

    @Override
    public void checkFields(FieldChecks fields) {
        fields.notBlank("filename", filename).safeText("filename", filename, 255, true);
        fields.notBlank("file_type", fileType)
                .mediaType("file_type", fileType, 255, "must be a media type such as video/mp4");
        fields.required("file_size", fileSize);
        fields.positive("file_size", fileSize);
        // Optional (the caller's name from its token is the default), but not blank when given.
        fields.matches("author_name", authorName, NOT_BLANK, "must not be blank")
                .safeText("author_name", authorName, 128, false);
        fields.positive("part_size", partSize);
        fields.matches("checksum_algorithm", checksumAlgorithm, SHA256,
                "must be SHA256, or absent for an upload without part checksums");
        fields.matches("checksum_sha256", checksumSha256, ApiPatterns.SHA256_BASE64, ApiPatterns.SHA256_MESSAGE);
        fields.list("parts", parts, 0, S3Limits.MAX_PARTS);
        checkMetadata(fields, metadata);
    }

    /** The rules of a file's {@code metadata}: at most 32 entries, plain keys, short well-formed text values. */
    static void checkMetadata(FieldChecks fields, Map<String, String> metadata) {
        fields.map("metadata", metadata, 0, MAX_METADATA_ENTRIES, (key, value) -> {
            String entry = "metadata[" + key + "]";
            fields.matches(entry, key, METADATA_KEY, "keys must be 1-128 letters, digits, '.', '_' or '-'");
            fields.required(entry, value);
            fields.safeText(entry, value, 1024, false);
        });
    }

    /** The service's command for this (validated) request. */
    NewUpload toNewUpload() {
        return new NewUpload(filename, fileType, fileSize, authorName, createdAt, partSize,
                ChecksumAlgorithm.fromWireName(checksumAlgorithm), checksumSha256, metadata,
                PartUrlRequest.toPartsToSign(parts));
    }
}
