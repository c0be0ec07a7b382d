package dev.freight.upload.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.OpenMultipartUpload;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.model.StoredPart;
import io.quarkus.logging.Log;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The only class that talks to S3: starts, lists, completes and aborts multipart uploads and signs the URLs
 * clients send bytes to and read them from. SDK failures are translated here.
 */
@ApplicationScoped
public class PresignService {

    private static final String STORAGE = "S3";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    /** Signs part URLs where it matches the SDK (checked at start-up); null: the SDK presigner signs them. */
    private final PartUrlSigner partSigner;

    PresignService(S3Client s3, S3Presigner presigner, FreightConfig config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = config.storage().bucket();
        this.partSigner = PartSigners.checkedAgainstSdk(s3, presigner, bucket).orElse(null);
    }

    /**
     * Starts a multipart upload for {@code objectKey} and returns its upload id. With {@code sha256}, S3 keeps
     * each part's SHA-256 and requires it again on complete; without, S3 refuses parts that carry one.
     */
    public String startMultipartUpload(String objectKey, String contentType, boolean sha256) {
        return call(() -> s3.createMultipartUpload(request -> {
            request.bucket(bucket).key(objectKey).contentType(contentType);
            if (sha256) {
                request.checksumAlgorithm(ChecksumAlgorithm.SHA256);
            }
        }).uploadId());
    }

    /**
     * Signs a PUT for one part of exactly {@code size} bytes (the signed {@code Content-Length} makes storage
     * refuse any other length). With a checksum, storage accepts only bytes with that SHA-256: the signed
     * {@code x-amz-checksum-sha256} header comes back in {@link SignedUrl#headers()}.
     */
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

    /** Signs a GET of the assembled object that makes browsers save it under {@code filename}. */
    public SignedUrl signDownload(String objectKey, String filename, String contentType, Duration lifetime) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(objectKey)
                .responseContentDisposition(ContentDisposition.attachment(filename))
                .responseContentType(contentType).build();
        return call(() -> toSignedUrl(presigner.presignGetObject(presign -> presign.signatureDuration(lifetime)
                .getObjectRequest(get))));
    }

    /**
     * Signs a GET of one byte range of the assembled object ({@code offset}, {@code size}): the client sends the
     * signed {@code Range} header listed in {@link SignedUrl#headers()}.
     */
    public SignedUrl signRangeDownload(String objectKey, long offset, long size, Duration lifetime) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(objectKey)
                .range("bytes=" + offset + "-" + (offset + size - 1)).build();
        return call(() -> toSignedUrl(presigner.presignGetObject(presign -> presign.signatureDuration(lifetime)
                .getObjectRequest(get))));
    }

    /** Every part storage holds for the upload, following every page. */
    public List<StoredPart> listParts(String objectKey, String uploadId) {
        return call(() -> {
            TreeMap<Integer, StoredPart> parts = new TreeMap<>();
            Integer marker = null;
            ListPartsResponse page;
            do {
                Integer pageMarker = marker;
                try {
                    page = s3.listParts(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId)
                            .partNumberMarker(pageMarker));
                } catch (NoSuchUploadException gone) {
                    throw new UploadGoneException(uploadId, gone);
                }
                for (Part part : page.parts()) {
                    parts.put(part.partNumber(),
                            new StoredPart(part.partNumber(), part.size(), part.eTag(), part.checksumSHA256()));
                }
                marker = page.nextPartNumberMarker();
            } while (Boolean.TRUE.equals(page.isTruncated()) && marker != null);
            return List.copyOf(parts.values());
        });
    }

    /**
     * Asks storage to assemble the object from {@code parts} (in part-number order). For an upload created with
     * SHA256, S3 requires every part's checksum in the request ({@code sha256}).
     */
    public AssembledObject completeMultipartUpload(String objectKey, String uploadId, List<StoredPart> parts,
            boolean sha256) {
        List<CompletedPart> completed = parts.stream()
                .map(part -> CompletedPart.builder().partNumber(part.partNumber()).eTag(part.etag())
                        .checksumSHA256(sha256 ? part.checksumSha256() : null).build())
                .toList();
        return call(() -> {
            CompleteMultipartUploadResponse response;
            try {
                response = s3.completeMultipartUpload(request -> request.bucket(bucket).key(objectKey)
                        .uploadId(uploadId).multipartUpload(upload -> upload.parts(completed)));
            } catch (NoSuchUploadException | NoSuchKeyException gone) { // S3Proxy answers NoSuchKey once another complete won
                throw new UploadGoneException(uploadId, gone);
            } catch (S3Exception refused) {
                if (refused.statusCode() == 400) {
                    throw new AssemblyRefusedException(uploadId, refused);
                }
                throw refused;
            }
            return new AssembledObject(response.eTag(), response.checksumSHA256(), null, objectPath(objectKey));
        });
    }

    /** Aborts the multipart upload so storage deletes its parts; an upload storage no longer knows is fine. */
    public void abortMultipartUpload(String objectKey, String uploadId) {
        call(() -> {
            try {
                s3.abortMultipartUpload(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId));
            } catch (NoSuchUploadException alreadyGone) {
                Log.debugf("Multipart upload of %s was already gone", objectKey);
            }
            return null;
        });
    }

    /** Multipart uploads of the bucket started before {@code initiatedBefore}, following every page. */
    public List<OpenMultipartUpload> listMultipartUploadsStartedBefore(java.time.Instant initiatedBefore) {
        return call(() -> {
            List<OpenMultipartUpload> found = new java.util.ArrayList<>();
            String keyMarker = null;
            String uploadIdMarker = null;
            ListMultipartUploadsResponse page;
            do {
                String pageKeyMarker = keyMarker;
                String pageUploadIdMarker = uploadIdMarker;
                page = s3.listMultipartUploads(request -> request.bucket(bucket).keyMarker(pageKeyMarker)
                        .uploadIdMarker(pageUploadIdMarker));
                page.uploads().stream().filter(upload -> upload.initiated() != null
                        && upload.initiated().isBefore(initiatedBefore))
                        .map(upload -> new OpenMultipartUpload(upload.key(), upload.uploadId(), upload.initiated()))
                        .forEach(found::add);
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            } while (Boolean.TRUE.equals(page.isTruncated()) && keyMarker != null);
            return found;
        });
    }

    /** The assembled object, with its size and (checksum mode on) its checksum, when storage holds one. */
    public Optional<AssembledObject> findObject(String objectKey) {
        return call(() -> {
            try {
                HeadObjectResponse head = s3.headObject(request -> request.bucket(bucket).key(objectKey)
                        .checksumMode(ChecksumMode.ENABLED));
                return Optional.of(new AssembledObject(head.eTag(), head.checksumSHA256(), head.contentLength(),
                        objectPath(objectKey)));
            } catch (NoSuchKeyException missing) {
                return Optional.empty();
            } catch (S3Exception failure) {
                if (failure.statusCode() == 404) {
                    return Optional.empty();
                }
                throw failure;
            }
        });
    }

    /** Creates the bucket when it does not exist yet (provisioning for dev, tests and opted-in deployments). */
    public void createBucketIfMissing() {
        call(() -> {
            try {
                s3.headBucket(request -> request.bucket(bucket));
            } catch (NoSuchBucketException missing) {
                s3.createBucket(request -> request.bucket(bucket));
                Log.infof("Created bucket %s", bucket);
            }
            return null;
        });
    }

    /** Checks the bucket answers; throws when storage is unavailable. */
    public void checkBucket() {
        call(() -> s3.headBucket(request -> request.bucket(bucket)));
    }

    /** Where the object lives, as recorded in the metadata ({@code path_url}). */
    public String objectPath(String objectKey) {
        return "s3://" + bucket + "/" + objectKey;
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

    private static <T> T call(Supplier<T> s3Call) {
        try {
            return s3Call.get();
        } catch (SdkException failure) {
            throw StorageErrors.translate(STORAGE, failure);
        }
    }
}
