package dev.freight.upload.storage;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.service.UrlSigner;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Signs the URLs clients send bytes to and read them from (part PUTs, whole and ranged GETs): the presigner runs
 * locally, no request reaches S3. Part URLs come from the cached-key signer where it matches the SDK.
 */
@ApplicationScoped
public class PresignService implements UrlSigner {

    private static final String STORAGE = "S3";

    private final S3Presigner presigner;
    private final String bucket;
    private final StorageFailures failures;
    /** Signs part URLs where it matches the SDK (checked at start-up); null: the SDK presigner signs them. */
    private final PartUrlSigner partSigner;

    /** The S3 client only checks, once, that the cached-key signer signs as the SDK does. */
    public PresignService(S3Client s3, S3Presigner presigner, FreightConfig config, StorageFailures failures) {
        this.presigner = presigner;
        this.bucket = config.storage().bucket();
        this.failures = failures;
        this.partSigner = PartSigners.checkedAgainstSdk(s3, presigner, bucket).orElse(null);
    }

    @Override
    public SignedUrl signPartUpload(String objectKey, String uploadId, int partNumber, long size,
            String checksumSha256, Duration lifetime) {
        if (partSigner != null && PartUrlSigner.covers(objectKey)) {
            return call(() -> partSigner.sign(objectKey, uploadId, partNumber, size, checksumSha256, lifetime,
                    java.time.Instant.now()));
        }
        return sdkSignPartUpload(objectKey, uploadId, partNumber, size, checksumSha256, lifetime);
    }

    /** Whether part URLs come from the cached-key signer (else from the SDK presigner). */
    boolean signsPartsWithCachedKey() {
        return partSigner != null;
    }

    /** The SDK presigner's part URL (what {@link PartUrlSigner} reproduces byte for byte). */
    SignedUrl sdkSignPartUpload(String objectKey, String uploadId, int partNumber, long size, String checksumSha256,
            Duration lifetime) {
        UploadPartRequest.Builder part = UploadPartRequest.builder().bucket(bucket).key(objectKey).uploadId(uploadId)
                .partNumber(partNumber).contentLength(size);
        if (checksumSha256 != null) {
            part.checksumSHA256(checksumSha256);
        }
        return call(() -> toSignedUrl(presigner.presignUploadPart(presign -> presign.signatureDuration(lifetime)
                .uploadPartRequest(part.build()))));
    }

    @Override
    public SignedUrl signDownload(String objectKey, String filename, String contentType, Duration lifetime) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(objectKey)
                .responseContentDisposition(ContentDisposition.attachment(filename))
                .responseContentType(contentType).build();
        return call(() -> toSignedUrl(presigner.presignGetObject(presign -> presign.signatureDuration(lifetime)
                .getObjectRequest(get))));
    }

    @Override
    public SignedUrl signRangeDownload(String objectKey, long offset, long size, Duration lifetime) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(objectKey)
                .range("bytes=" + offset + "-" + (offset + size - 1)).build();
        return call(() -> toSignedUrl(presigner.presignGetObject(presign -> presign.signatureDuration(lifetime)
                .getObjectRequest(get))));
    }

    private static SignedUrl toSignedUrl(PresignedRequest presigned) {
        Map<String, String> headers = new TreeMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            // The client's HTTP stack sets Host and Content-Length itself (browsers may not set either).
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new SignedUrl(presigned.url().toString(), presigned.expiration(), Map.copyOf(headers));
    }

    private <T> T call(Supplier<T> signing) {
        try {
            return signing.get();
        } catch (SdkException failure) {
            throw failures.translate(STORAGE, failure);
        }
    }
}
