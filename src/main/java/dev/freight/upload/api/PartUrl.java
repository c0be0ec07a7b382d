package dev.freight.upload.api;

import java.time.Instant;
import java.util.Map;

import dev.freight.upload.model.SignedPart;

/**
 * A presigned PUT for one part: send exactly {@code headers} and a body of exactly {@code size} bytes (the URL
 * signs the length), and keep the ETag it answers.
 */
public record PartUrl(int partNumber, long size, String url, Instant expiresAt, Map<String, String> headers) {

    static PartUrl of(SignedPart signed) {
        return new PartUrl(signed.partNumber(), signed.size(), signed.url().url(), signed.url().expiresAt(),
                signed.url().headers());
    }
}
