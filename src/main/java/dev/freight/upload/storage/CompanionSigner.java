package dev.freight.upload.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.PostForm;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.service.CompanionSigning;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Signs what clients of Uppy Companion's S3 protocol send bytes with: part PUTs whose size nobody declared (bound to
 * the key, the upload, the part number and an expiry, nothing more can be), and browser POST forms for small files.
 * The AWS SDK for Java 2.x has no POST-policy presigner (aws/aws-sdk-java-v2#1493, open), so the form is signed
 * here as AWS describes it ("Browser-Based Uploads Using POST (AWS Signature Version 4)", Amazon S3 API Reference,
 * sigv4-authentication-HTTPPOST and sigv4-HTTPPOSTConstructPolicy): "For signature calculation the POST policy is
 * the string to sign", the base64 of the policy JSON, signed with the SigV4 key of the day, region and {@code s3}.
 */
@ApplicationScoped
public class CompanionSigner implements CompanionSigning {

    private static final String STORAGE = "S3";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String PROBE_KEY = "freight-post-probe";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Presigner presigner;
    private final String bucket;
    private final String region;
    private final Supplier<AwsCredentialsIdentity> credentials;
    private final String formUrl;
    private final StorageFailures failures;

    public CompanionSigner(S3Client s3, S3Presigner presigner, FreightConfig config, StorageFailures failures) {
        this.presigner = presigner;
        this.bucket = config.storage().bucket();
        this.failures = failures;
        this.region = s3.serviceClientConfiguration().region().id();
        this.credentials = PartSigners.credentials(s3.serviceClientConfiguration().credentialsProvider());
        // The bucket's address as the SDK writes it (path-style or virtual-host): a form is POSTed to the bucket.
        String probe = presigner.presignGetObject(get -> get.signatureDuration(Duration.ofMinutes(1))
                .getObjectRequest(object -> object.bucket(bucket).key(PROBE_KEY))).url().toString();
        this.formUrl = probe.substring(0, probe.indexOf("/" + PROBE_KEY + "?") + 1);
    }

    /** A PUT of part {@code partNumber} of any length S3 accepts for a part. */
    @Override
    public SignedUrl signPart(String objectKey, String uploadId, int partNumber, Duration lifetime) {
        try {
            var presigned = presigner.presignUploadPart(presign -> presign.signatureDuration(lifetime)
                    .uploadPartRequest(part -> part.bucket(bucket).key(objectKey).uploadId(uploadId)
                            .partNumber(partNumber)));
            return new SignedUrl(presigned.url().toString(), presigned.expiration(), Map.of());
        } catch (SdkException failure) {
            throw failures.translate(STORAGE, failure);
        }
    }

    /**
     * A form that stores one object under exactly {@code objectKey}, of {@code contentType} and at most
     * {@code maxSize} bytes, until {@code lifetime} from {@code now}. Every field the form carries has its
     * condition: S3 refuses a form with a field its policy does not name ("Extra input fields").
     */
    @Override
    public PostForm signPost(String objectKey, String contentType, long maxSize, Duration lifetime, Instant now) {
        AwsCredentialsIdentity identity = credentials.get();
        String stamp = STAMP.format(now);
        String day = stamp.substring(0, 8);
        String scope = day + "/" + region + "/s3/aws4_request";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", objectKey);
        fields.put("Content-Type", contentType);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", identity.accessKeyId() + "/" + scope);
        fields.put("x-amz-date", stamp);
        if (identity instanceof AwsSessionCredentialsIdentity session) {
            fields.put("x-amz-security-token", session.sessionToken());
        }
        Instant expiresAt = now.plus(lifetime);
        ObjectNode policy = JSON.createObjectNode().put("expiration", expiresAt.toString());
        ArrayNode conditions = policy.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        fields.forEach((name, value) -> conditions.addObject().put(name, value));
        conditions.addArray().add("content-length-range").add(0).add(maxSize);
        String encodedPolicy = Base64.getEncoder().encodeToString(policy.toString().getBytes(StandardCharsets.UTF_8));
        byte[] key = ("AWS4" + identity.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {day, region, "s3", "aws4_request", encodedPolicy}) {
            key = hmac(key, part);
        }
        fields.put("policy", encodedPolicy);
        fields.put("x-amz-signature", HexFormat.of().formatHex(key));
        // In this order: S3 reads the fields before the file, which comes last.
        return new PostForm(formUrl, Collections.unmodifiableMap(fields), expiresAt);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
