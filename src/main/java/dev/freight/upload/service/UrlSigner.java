package dev.freight.upload.service;

import java.time.Duration;

import dev.freight.upload.model.SignedUrl;

/** The presigned URLs clients send bytes to and read them from: signed locally, no call to storage. */
public interface UrlSigner {

    /**
     * A PUT for one part of exactly {@code size} bytes (the signed {@code Content-Length} makes storage refuse any
     * other length). With a checksum, storage accepts only bytes with that SHA-256: the signed
     * {@code x-amz-checksum-sha256} header comes back in {@link SignedUrl#headers()}.
     */
    SignedUrl signPartUpload(String objectKey, String uploadId, int partNumber, long size, String checksumSha256,
            Duration lifetime);

    /** A GET of the assembled object that makes browsers save it under {@code filename}. */
    SignedUrl signDownload(String objectKey, String filename, String contentType, Duration lifetime);

    /** A GET of the byte range ({@code offset}, {@code size}) of the assembled object, its Range header signed. */
    SignedUrl signRangeDownload(String objectKey, long offset, long size, Duration lifetime);
}
