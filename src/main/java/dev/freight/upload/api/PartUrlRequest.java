package dev.freight.upload.api;

import java.util.List;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.service.PartToSign;

/**
 * One part a client wants a URL for. For a SHA256 upload it carries the part's digest and storage accepts only
 * bytes that match it; for an upload without an algorithm it carries none.
 */
public record PartUrlRequest(Integer partNumber, String checksumSha256) implements ValidatedBody {

    @Override
    public void checkFields(FieldChecks fields) {
        fields.required("part_number", partNumber);
        fields.between("part_number", partNumber, 1, S3Limits.MAX_PARTS);
        fields.matches("checksum_sha256", checksumSha256, ApiPatterns.SHA256_BASE64, ApiPatterns.SHA256_MESSAGE);
    }

    PartToSign toPartToSign() {
        return new PartToSign(partNumber, checksumSha256);
    }

    /** The service's form of a validated part list (null stays null). */
    static List<PartToSign> toPartsToSign(List<PartUrlRequest> parts) {
        return parts == null ? null : parts.stream().map(PartUrlRequest::toPartToSign).toList();
    }
}
