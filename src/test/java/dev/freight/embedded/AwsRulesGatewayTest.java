package dev.freight.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.support.SharedVectors;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The embedded S3 answers as AWS S3 does for multipart checksums (not as S3Proxy alone would): each rule of
 * {@link MultipartChecksumRules}, through the real SDK, against S3Proxy behind the gateway.
 */
class AwsRulesGatewayTest {

    private static final int PART = 5 * 1024 * 1024;
    private static EmbeddedS3 storage;
    private static S3Client s3;
    private static final String BUCKET = "rules";

    @BeforeAll
    static void start() throws Exception {
        storage = EmbeddedS3.start(null, 0, "ruleskey", "rulessecret", List.of("*"));
        s3 = S3Client.builder().endpointOverride(storage.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                // Only the checksums each test names, so the requests are exactly the ones under test.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ruleskey",
                        "rulessecret")))
                .build();
        s3.createBucket(request -> request.bucket(BUCKET));
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        storage.close();
    }

    @Test
    void anUploadWithoutAnAlgorithmRefusesPartSha256AndCompleteChecksums() {
        String key = "plain";
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key)).uploadId();
        byte[] bytes = bytes(PART, 1);

        assertRefused(() -> s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
                .checksumSHA256(sha256(bytes)), RequestBody.fromBytes(bytes)), 400, "InvalidRequest",
                "Checksum Type mismatch occurred, expected checksum Type: null, actual checksum Type: sha256");
        assertThat(s3.listParts(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)).parts())
                .as("the refused part is not held").isEmpty();

        UploadPartResponse sent = s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                .partNumber(1), RequestBody.fromBytes(bytes));
        assertThat(sent.checksumSHA256()).isNull();
        ListPartsResponse listed = s3.listParts(request -> request.bucket(BUCKET).key(key).uploadId(uploadId));
        assertThat(listed.checksumAlgorithm()).isNull();
        assertThat(listed.parts()).singleElement().satisfies(part -> assertThat(part.checksumSHA256()).isNull());

        assertRefused(() -> s3.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(CompletedPart.builder().partNumber(1).eTag(sent.eTag())
                        .checksumSHA256(sha256(bytes)).build()))), 400, "InvalidPart",
                MultipartChecksumRules.INVALID_PART);

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(request -> request.bucket(BUCKET).key(key)
                .uploadId(uploadId).multipartUpload(upload -> upload.parts(CompletedPart.builder().partNumber(1)
                        .eTag(sent.eTag()).build())));
        assertThat(done.checksumSHA256()).isNull();
        assertThat(s3.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(bytes);
    }

    @Test
    void anUploadWithSha256KeepsPartChecksumsAndRequiresThemOnComplete() throws Exception {
        String key = "checked";
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        // Two parts and their composite checksum from the shared vectors (computed apart from the code under test).
        JsonNode vector = generatedPartsVector();
        byte[] first = generatedPart(vector.path("parts").get(0));
        byte[] second = generatedPart(vector.path("parts").get(1));
        assertThat(first).hasSize(PART);

        assertRefused(() -> s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
                .checksumCRC32("AAAAAA=="), RequestBody.fromBytes(first)), 400, "InvalidRequest",
                "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32");
        assertRefused(() -> s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
                .checksumSHA256(sha256(second)), RequestBody.fromBytes(first)), 400, "BadDigest", null);

        UploadPartResponse one = s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                .partNumber(1).checksumSHA256(sha256(first)), RequestBody.fromBytes(first));
        // Without a checksum S3 computes the part's SHA-256 itself and answers it.
        UploadPartResponse two = s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                .partNumber(2), RequestBody.fromBytes(second));
        assertThat(one.checksumSHA256()).isEqualTo(sha256(first));
        assertThat(two.checksumSHA256()).isEqualTo(sha256(second));

        ListPartsResponse listed = s3.listParts(request -> request.bucket(BUCKET).key(key).uploadId(uploadId));
        assertThat(listed.checksumAlgorithmAsString()).isEqualTo("SHA256");
        assertThat(listed.parts()).extracting(part -> part.checksumSHA256())
                .containsExactly(sha256(first), sha256(second));

        CompletedPart withChecksum1 = CompletedPart.builder().partNumber(1).eTag(one.eTag())
                .checksumSHA256(sha256(first)).build();
        CompletedPart withChecksum2 = CompletedPart.builder().partNumber(2).eTag(two.eTag())
                .checksumSHA256(sha256(second)).build();
        assertRefused(() -> complete(key, uploadId, CompletedPart.builder().partNumber(1).eTag(one.eTag()).build(),
                withChecksum2), 400, "InvalidRequest", "The upload was created using a sha256 checksum. The complete"
                        + " request must include the checksum for each part. It was missing for part 1 in the request.");
        assertRefused(() -> complete(key, uploadId, withChecksum1, CompletedPart.builder().partNumber(2)
                .eTag(two.eTag()).checksumSHA256(sha256(first)).build()), 400, "InvalidPart",
                MultipartChecksumRules.INVALID_PART);
        assertRefused(() -> complete(key, uploadId, withChecksum2, withChecksum1), 400, "InvalidPartOrder",
                MultipartChecksumRules.INVALID_PART_ORDER);

        CompleteMultipartUploadResponse done = complete(key, uploadId, withChecksum1, withChecksum2);
        String composite = vector.path("composite").asText();
        assertThat(done.checksumSHA256()).isEqualTo(composite);
        assertThat(s3.headObject(request -> request.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED))
                .checksumSHA256()).isEqualTo(composite);

        // A completed upload is gone, as on AWS (S3Proxy alone answers 200 to both).
        assertRefused(() -> s3.listParts(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)), 404,
                "NoSuchUpload", MultipartChecksumRules.NO_SUCH_UPLOAD);
        assertRefused(() -> s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(3),
                RequestBody.fromBytes(second)), 404, "NoSuchUpload", MultipartChecksumRules.NO_SUCH_UPLOAD);
    }

    @Test
    void anAbortedUploadIsGone() {
        String key = "aborted";
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key)).uploadId();
        s3.abortMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId));
        assertRefused(() -> s3.listParts(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)), 404,
                "NoSuchUpload", MultipartChecksumRules.NO_SUCH_UPLOAD);
        assertRefused(() -> s3.abortMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)),
                404, "NoSuchUpload", MultipartChecksumRules.NO_SUCH_UPLOAD);
    }

    @Test
    void onePartWithTwoChecksumHeadersIsRefused() {
        String key = "two-headers";
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        byte[] bytes = bytes(100, 4);
        assertRefused(() -> s3.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
                .checksumSHA256(sha256(bytes)).checksumCRC32("AAAAAA=="), RequestBody.fromBytes(bytes)), 400,
                "InvalidRequest", MultipartChecksumRules.MULTIPLE_CHECKSUMS);
    }

    private static CompleteMultipartUploadResponse complete(String key, String uploadId, CompletedPart... parts) {
        return s3.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts)));
    }

    private static void assertRefused(Runnable call, int status, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, refused -> {
            assertThat(refused.statusCode()).isEqualTo(status);
            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo(code);
            if (message != null) {
                assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo(message);
            }
        });
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The composite-checksum vector whose parts are generated bytes (a 5 MiB part and a short last one). */
    private static JsonNode generatedPartsVector() {
        for (JsonNode vector : SharedVectors.read("composite-checksums.json").path("cases")) {
            if (vector.path("parts").path(0).has("generated")) {
                return vector;
            }
        }
        throw new IllegalStateException("composite-checksums.json has no case of generated parts");
    }

    private static byte[] generatedPart(JsonNode part) {
        byte[] bytes = SharedVectors.generated(part.path("generated").path("seed").asText(), 0,
                part.path("generated").path("size").asLong());
        assertThat(sha256(bytes)).isEqualTo(part.path("sha256").asText());
        return bytes;
    }

}
