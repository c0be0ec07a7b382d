package dev.freight.upload.api;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.service.ClaimedPart;

/**
 * A part the client sent, with the ETag storage answered. {@code checksum_sha256} (SHA256 uploads only) is used
 * where storage does not report the part's checksum itself, and must match where it does.
 */
public record CompletedPartRequest(Integer partNumber, String etag, String checksumSha256) implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.required("part_number", partNumber);
        fields.between("part_number", partNumber, 1, S3Limits.MAX_PARTS);
        fields.notBlank("etag", etag).length("etag", etag, 0, 128);
        fields.matches("checksum_sha256", checksumSha256, ApiPatterns.SHA256_BASE64, ApiPatterns.SHA256_MESSAGE);
    }

    ClaimedPart toClaimedPart() {
        return new ClaimedPart(partNumber, etag, checksumSha256);
    }
}
