package dev.freight.upload.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.OpenMultipartUpload;
import dev.freight.upload.model.OpenUploadsPage;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.service.AssemblyRefusedException;
import dev.freight.upload.service.MultipartStorage;
import dev.freight.upload.service.UploadGoneException;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The only class that calls S3: its multipart calls, the assembled object's HEAD, and the bucket they work in.
 * SDK failures are translated here ({@link StorageFailures}).
 */
@ApplicationScoped
public class S3MultipartStorage implements MultipartStorage {

    private static final String STORAGE = "S3";

    private final S3Client s3;
    private final String bucket;
    private final Duration completeTimeout;
    private final StorageFailures failures;

    public S3MultipartStorage(S3Client s3, FreightConfig config, StorageFailures failures) {
        this.s3 = s3;
        this.bucket = config.storage().bucket();
        // S3 may take minutes to assemble thousands of parts: this call gets its own, longer bound.
        this.completeTimeout = config.upload().completeTimeout();
        this.failures = failures;
    }

    @Override
    public String startMultipartUpload(String objectKey, String contentType, boolean sha256) {
        return call(() -> s3.createMultipartUpload(request -> {
            request.bucket(bucket).key(objectKey).contentType(contentType);
            if (sha256) {
                request.checksumAlgorithm(ChecksumAlgorithm.SHA256);
            }
        }).uploadId());
    }

    @Override
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

    @Override
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
                        .uploadId(uploadId).multipartUpload(upload -> upload.parts(completed))
                        .overrideConfiguration(call -> call.apiCallTimeout(completeTimeout)
                                .apiCallAttemptTimeout(completeTimeout)));
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

    @Override
    public boolean abortMultipartUpload(String objectKey, String uploadId) {
        return call(() -> {
            try {
                s3.abortMultipartUpload(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId));
                return true;
            } catch (NoSuchUploadException alreadyGone) {
                Log.debugf("Multipart upload of %s was already gone", objectKey);
                return false;
            }
        });
    }

    @Override
    public OpenUploadsPage listMultipartUploads(SweepCursor from) {
        return call(() -> {
            ListMultipartUploadsResponse page = s3.listMultipartUploads(request -> request.bucket(bucket)
                    .keyMarker(from.keyMarker()).uploadIdMarker(from.uploadIdMarker()));
            List<OpenMultipartUpload> uploads = page.uploads().stream()
                    .map(upload -> new OpenMultipartUpload(upload.key(), upload.uploadId(), upload.initiated()))
                    .toList();
            boolean more = Boolean.TRUE.equals(page.isTruncated()) && page.nextKeyMarker() != null;
            return new OpenUploadsPage(uploads,
                    more ? new SweepCursor(page.nextKeyMarker(), page.nextUploadIdMarker()) : null);
        });
    }

    @Override
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

    private <T> T call(Supplier<T> s3Call) {
        try {
            return s3Call.get();
        } catch (SdkException failure) {
            throw failures.translate(STORAGE, failure);
        }
    }
}
