package dev.freight.upload.storage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Checks the service's {@link PartUrlSigner} against the SDK in the benchmark's setting: for many inputs (sizes,
 * checksums), the SDK presigns, and the signer signs the same inputs at the SDK's own {@code X-Amz-Date}; the URLs
 * must be equal byte for byte. Then storage must accept a part PUT to its URL and refuse one with a tampered
 * signature. (The test suite checks the same over random settings: PartUrlSignerTest.)
 */
public final class SignerCheck {

    /** What the check found, for the report. */
    public record Outcome(int compared, int identical, boolean storageAccepted, boolean storageRefusedTampered) {
    }

    private SignerCheck() {
    }

    public static Outcome run(S3Presigner presigner, S3Client s3, URI endpoint, String accessKey, String secretKey,
            String bucket, int samples) throws Exception {
        PartUrlSigner lean = PartSigners.fromSdk(s3, presigner, bucket);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int identical = 0;
        for (int i = 0; i < samples; i++) {
            // Object keys are UUIDs in Freight; upload ids are storage's and may hold any URL-unsafe character.
            String key = UUID.randomUUID().toString();
            String uploadId = random.nextBoolean() ? UUID.randomUUID().toString() : "2~a+b/c=d%e " + random.nextInt();
            int partNumber = random.nextInt(1, 10_001);
            Duration lifetime = Duration.ofSeconds(random.nextLong(60, 7 * 24 * 3600));
            long size = random.nextLong(1, 5L << 30);
            String checksum = random.nextBoolean() ? null
                    : java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(32)
                            .putLong(random.nextLong()).array());
            String sdk = PartSigners.sdkPart(presigner, bucket, key, uploadId, partNumber, size, checksum, lifetime)
                    .url().toString();
            Instant at = PartSigners.signedAt(sdk);
            if (sdk.equals(lean.sign(key, uploadId, partNumber, size, checksum, lifetime, at).url())) {
                identical++;
            }
        }
        String key = "signer-check-" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)).uploadId();
        HttpClient http = HttpClient.newHttpClient();
        String url = lean.sign(key, uploadId, 1, 4, null, Duration.ofMinutes(10), Instant.now()).url();
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
