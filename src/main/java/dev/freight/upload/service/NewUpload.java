package dev.freight.upload.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.freight.upload.model.ChecksumAlgorithm;

/**
 * What a client asks for when it starts an upload, already checked for shape by the HTTP layer.
 *
 * @param authorName the author the request names, or null for the caller's own name
 * @param createdAt when the file was created, as the client says, or null
 * @param partSize the part size the client wishes for, or null for the default
 * @param checksumSha256 the whole file's SHA-256 (base64) as the client declares it, or null
 * @param firstParts the first parts to sign right away, with their digests (SHA256 uploads only), or null
 */
public record NewUpload(String filename, String fileType, long fileSize, String authorName, Instant createdAt,
        Long partSize, ChecksumAlgorithm checksumAlgorithm, String checksumSha256, Map<String, String> metadata,
        List<PartToSign> firstParts) {
}
