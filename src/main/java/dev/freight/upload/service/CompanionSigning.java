package dev.freight.upload.service;

import java.time.Duration;
import java.time.Instant;

import dev.freight.upload.model.PostForm;
import dev.freight.upload.model.SignedUrl;

/** What Companion-protocol clients send bytes with, signed locally: part PUTs of no declared size, and POST forms. */
public interface CompanionSigning {

    /** A PUT of part {@code partNumber} of any length storage accepts for a part. */
    SignedUrl signPart(String objectKey, String uploadId, int partNumber, Duration lifetime);

    /**
     * A browser POST form that stores one object under exactly {@code objectKey}, of {@code contentType} and at most
     * {@code maxSize} bytes, valid {@code lifetime} from {@code now}.
     */
    PostForm signPost(String objectKey, String contentType, long maxSize, Duration lifetime, Instant now);
}
