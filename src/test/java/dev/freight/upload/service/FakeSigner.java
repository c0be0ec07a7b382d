package dev.freight.upload.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.freight.upload.model.SignedUrl;

/** Signs nothing: each URL spells out what it was signed for, so tests can read it back. */
final class FakeSigner implements UrlSigner {

    private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

    @Override
    public SignedUrl signPartUpload(String objectKey, String uploadId, int partNumber, long size,
            String checksumSha256, Duration lifetime) {
        return new SignedUrl("https://storage.test/" + objectKey + "?uploadId=" + uploadId + "&partNumber="
                + partNumber + "&size=" + size, EXPIRY,
                checksumSha256 == null ? Map.of() : Map.of("x-amz-checksum-sha256", checksumSha256));
    }

    @Override
    public SignedUrl signDownload(String objectKey, String filename, String contentType, Duration lifetime) {
        return new SignedUrl("https://storage.test/" + objectKey + "?download=" + filename, EXPIRY, Map.of());
    }

    @Override
    public SignedUrl signRangeDownload(String objectKey, long offset, long size, Duration lifetime) {
        return new SignedUrl("https://storage.test/" + objectKey, EXPIRY,
                Map.of("range", "bytes=" + offset + "-" + (offset + size - 1)));
    }
}
