package dev.freight.upload.storage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Checks {@link CachedKeySigner} against the SDK: for many inputs, the SDK presigns, and the lean signer signs the
 * same inputs at the SDK's own {@code X-Amz-Date}; the URLs must be equal byte for byte. Then storage must accept a
 * part PUT to a lean URL and refuse one with a tampered signature.
 */
public final class SignerCheck {

    /** What the check found, for the report. */
    public record Outcome(int compared, int identical, boolean storageAccepted, boolean storageRefusedTampered) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SignerCheck() {
    }

    public static Outcome run(S3Presigner presigner, S3Client s3, URI endpoint, String accessKey, String secretKey,
            String bucket, int samples) throws Exception {
        CachedKeySigner lean = new CachedKeySigner(endpoint.toString(), endpoint.getAuthority(), accessKey, secretKey,
                "us-east-1");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int identical = 0;
        for (int i = 0; i < samples; i++) {
            // Object keys are UUIDs in Freight; upload ids are storage's and may hold any URL-unsafe character.
            String key = UUID.randomUUID().toString();
            String uploadId = random.nextBoolean() ? UUID.randomUUID().toString() : "2~a+b/c=d%e " + random.nextInt();
            int partNumber = random.nextInt(1, 10_001);
            Duration lifetime = Duration.ofSeconds(random.nextLong(60, 7 * 24 * 3600));
            String sdk = presigner.presignUploadPart(presign -> presign.signatureDuration(lifetime)
                    .uploadPartRequest(part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)))
                    .url().toString();
            String stamp = sdk.replaceAll(".*X-Amz-Date=([0-9TZ]+).*", "$1");
            Instant at = STAMP.parse(stamp, Instant::from);
            if (sdk.equals(lean.signPartUpload(bucket, key, uploadId, partNumber, at, lifetime.toSeconds()))) {
                identical++;
            }
        }
        String key = "signer-check-" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)).uploadId();
        HttpClient http = HttpClient.newHttpClient();
        String url = lean.signPartUpload(bucket, key, uploadId, 1, Instant.now(), 600);
        int accepted = put(http, url);
        String tampered = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");
        int refused;
        try {
            refused = put(http, tampered);
        } catch (java.io.IOException closedEarly) {
            refused = 403; // S3Proxy may close the connection on a rejected PUT.
        }
        s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
        return new Outcome(samples, identical, accepted == 200, refused == 403);
    }

    private static int put(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString("part"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
