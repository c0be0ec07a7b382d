package dev.freight.upload.storage;

import java.net.URI;
import java.time.Duration;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.freight.support.TestConfig;
import dev.freight.upload.model.SignedUrl;

/**
 * Part URLs signed per second on one thread: the service's signing path ({@link PresignService#signPartUpload},
 * the cached-key {@link PartUrlSigner}), the same through the SDK presigner (the path before), against the bare SDK {@code S3Presigner.presignUploadPart} built
 * with the same region, credentials and endpoint. In this package because the service's constructor is
 * package-private. No network: signing is local.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
public class SigningBenchmark {

    private static final String BUCKET = "freight-uploads";
    private static final String KEY = "0b7f4a62-3c1e-4d59-9a1e-2f8f3d3c9b10";
    private static final String UPLOAD_ID = "2~Yk7Zq9pX1bN3mR5tV8wA0cE2gI4kM6oQ";
    private static final Duration LIFETIME = Duration.ofHours(1);
    /** Every part URL signs its part's exact size; the service's default part size. */
    private static final long PART_SIZE = 16L * 1024 * 1024;
    /** Every SHA256 part URL is bound to its digest (signed x-amz-checksum-sha256). */
    private static final String CHECKSUM = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    private S3Client s3;
    private S3Presigner presigner;
    private PresignService service;
    private S3Presigner presignerWithoutProfileLookups;
    private PartUrlSigner cachedKeySigner;
    private int partNumber;

    @Setup
    public void setUp() {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("freightbench", "freightbenchsecret"));
        URI endpoint = URI.create("http://127.0.0.1:9000");
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(endpoint).serviceConfiguration(pathStyle).build();
        s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(endpoint)
                .serviceConfiguration(pathStyle).httpClient(UrlConnectionHttpClient.create()).build();
        service = new PresignService(s3, presigner, TestConfig.withBucket(BUCKET), StorageFailures.unobserved());
        // Settings the SDK otherwise resolves from ~/.aws/config and the environment on every URL (see the profile).
        presignerWithoutProfileLookups = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(endpoint).serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .useArnRegionEnabled(false).multiRegionEnabled(false).build()).build();
        cachedKeySigner = PartSigners.fromSdk(s3, presigner, BUCKET);
        if (!service.signsPartsWithCachedKey()) {
            throw new IllegalStateException("the service fell back to the SDK presigner");
        }
    }

    @TearDown
    public void tearDown() {
        presigner.close();
        presignerWithoutProfileLookups.close();
        s3.close();
    }

    /** Part numbers cycle so no two consecutive URLs are the same request. */
    private int nextPart() {
        partNumber = partNumber % 10_000 + 1;
        return partNumber;
    }

    @Benchmark
    public SignedUrl freightSignPartUpload() {
        return service.signPartUpload(KEY, UPLOAD_ID, nextPart(), PART_SIZE, CHECKSUM, LIFETIME);
    }

    /** The service's path before issue 14: the same call through the SDK presigner. */
    @Benchmark
    public SignedUrl freightSignPartUploadWithSdk() {
        return service.sdkSignPartUpload(KEY, UPLOAD_ID, nextPart(), PART_SIZE, CHECKSUM, LIFETIME);
    }

    @Benchmark
    public String sdkPresignUploadPart() {
        int part = nextPart();
        return presigner.presignUploadPart(presign -> presign.signatureDuration(LIFETIME)
                .uploadPartRequest(request -> request.bucket(BUCKET).key(KEY).uploadId(UPLOAD_ID).partNumber(part)
                        .contentLength(PART_SIZE).checksumSHA256(CHECKSUM)))
                .url().toString();
    }

    @Benchmark
    public String sdkPresignUploadPartWithoutProfileLookups() {
        int part = nextPart();
        return presignerWithoutProfileLookups.presignUploadPart(presign -> presign.signatureDuration(LIFETIME)
                .uploadPartRequest(request -> request.bucket(BUCKET).key(KEY).uploadId(UPLOAD_ID).partNumber(part)
                        .contentLength(PART_SIZE).checksumSHA256(CHECKSUM)))
                .url().toString();
    }

    @Benchmark
    public SignedUrl cachedKeySignPartUpload() {
        return cachedKeySigner.sign(KEY, UPLOAD_ID, nextPart(), PART_SIZE, CHECKSUM, LIFETIME, java.time.Instant.now());
    }
}
