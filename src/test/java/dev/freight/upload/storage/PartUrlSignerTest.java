package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.freight.upload.model.SignedUrl;

/**
 * The cached-key signer against the SDK presigner: over random keys, upload ids, part numbers, sizes, checksums,
 * lifetimes, regions, static and session credentials, path-style and virtual-host addressing, with and without an
 * endpoint override, the URL and the headers to send are the SDK's byte for byte; rotated credentials re-derive the
 * key. (Storage accepting its URLs and refusing tampered ones: {@link PartUrlSignerStorageTest}.)
 */
class PartUrlSignerTest {

    private static final String[] ENDPOINTS = {null, "http://127.0.0.1:9000", "https://s3.example.internal:8443",
            "http://minio.local"};
    private static final Region[] REGIONS = {Region.US_EAST_1, Region.EU_WEST_1, Region.AP_SOUTHEAST_2,
            Region.US_WEST_2};

    @Test
    void everyUrlIsTheSdksByteForByteOverRandomInputs() {
        Random random = new Random(14);
        int compared = 0;
        for (int setup = 0; setup < 32; setup++) {
            boolean pathStyle = random.nextBoolean();
            boolean session = random.nextBoolean();
            String endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
            Region region = REGIONS[random.nextInt(REGIONS.length)];
            String bucket = random.nextBoolean() ? "freight-uploads" : "bucket-" + random.nextInt(1000);
            AtomicReference<AwsCredentials> credentials = new AtomicReference<>(credentials(random, session));
            AwsCredentialsProvider provider = credentials::get;
            try (Sdk sdk = new Sdk(provider, region, endpoint, pathStyle)) {
                PartUrlSigner signer = PartSigners.fromSdk(sdk.s3, sdk.presigner, bucket);
                for (int sample = 0; sample < 40; sample++) {
                    if (sample == 20) {
                        // Rotation: role and task credentials change; the next URL signs with the new ones.
                        credentials.set(credentials(random, random.nextBoolean()));
                    }
                    String key = objectKey(random);
                    String uploadId = uploadId(random);
                    int partNumber = 1 + random.nextInt(10_000);
                    long size = 1 + (random.nextLong() & Long.MAX_VALUE) % (5L << 30);
                    String checksum = random.nextBoolean() ? null : sha256(random);
                    Duration lifetime = Duration.ofSeconds(1 + random.nextInt(7 * 24 * 3600));
                    PresignedRequest expected = PartSigners.sdkPart(sdk.presigner, bucket, key, uploadId,
                            partNumber, size, checksum, lifetime);
                    Instant at = PartSigners.signedAt(expected.url().toString());
                    SignedUrl ours = signer.sign(key, uploadId, partNumber, size, checksum, lifetime, at);
                    assertThat(ours.url()).as("key %s upload %s", key, uploadId).isEqualTo(expected.url().toString());
                    assertThat(ours.headers()).isEqualTo(headersToSend(expected));
                    assertThat(ours.expiresAt()).isEqualTo(at.plus(lifetime));
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(32 * 40);
    }

    @Test
    void theStartUpCheckPicksTheCachedKeySignerWhereItMatchesAndTheSdkForAnonymousCredentials() {
        AwsCredentialsProvider provider = () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        try (Sdk sdk = new Sdk(provider, Region.EU_WEST_1, null, false)) {
            assertThat(PartSigners.checkedAgainstSdk(sdk.s3, sdk.presigner, "freight-uploads")).isPresent();
        }
        AwsCredentialsProvider anonymous = software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create();
        try (Sdk sdk = new Sdk(anonymous, Region.EU_WEST_1, null, false)) {
            assertThat(PartSigners.checkedAgainstSdk(sdk.s3, sdk.presigner, "freight-uploads")).isEmpty();
        }
    }

    @Test
    void keysTheSdkWouldWriteDifferentlyAreLeftToIt() {
        assertThat(PartUrlSigner.covers(UUID.randomUUID().toString())).isTrue();
        assertThat(PartUrlSigner.covers("a/b c/ü")).isTrue();
        assertThat(PartUrlSigner.covers("/leading")).isFalse();
        assertThat(PartUrlSigner.covers("a//b")).isFalse();
        assertThat(PartUrlSigner.covers("a/../b")).isFalse();
        assertThat(PartUrlSigner.covers("./b")).isFalse();
        assertThat(PartUrlSigner.covers("")).isFalse();
    }

    private static Map<String, String> headersToSend(PresignedRequest presigned) {
        Map<String, String> headers = new TreeMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            if (!name.equals("host") && !name.equals("content-length")) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }

    private static AwsCredentials credentials(Random random, boolean session) {
        String accessKey = "AKIA" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase();
        String secret = Base64.getEncoder().encodeToString(bytes(random, 30));
        return session ? AwsSessionCredentials.create(accessKey, secret, Base64.getEncoder().encodeToString(
                bytes(random, 200 + random.nextInt(300)))) : AwsBasicCredentials.create(accessKey, secret);
    }

    private static String objectKey(Random random) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> UUID.randomUUID().toString();
            case 2 -> "uploads/" + UUID.randomUUID() + "/part file (1).bin";
            default -> "ünïcødé/日本語/" + random.nextInt() + "~!*'()+,;=:@&$";
        };
    }

    private static String uploadId(Random random) {
        StringBuilder id = new StringBuilder(random.nextBoolean() ? "2~" : "");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/= %";
        int length = 8 + random.nextInt(150);
        for (int index = 0; index < length; index++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String sha256(Random random) {
        return Base64.getEncoder().encodeToString(bytes(random, 32));
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** An S3 client and a presigner with the same settings, as the extension builds them (no network used). */
    private static final class Sdk implements AutoCloseable {
        final S3Client s3;
        final S3Presigner presigner;

        Sdk(AwsCredentialsProvider credentials, Region region, String endpoint, boolean pathStyle) {
            S3Configuration addressing = S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build();
            software.amazon.awssdk.services.s3.S3ClientBuilder client = S3Client.builder().region(region).credentialsProvider(credentials)
                    .serviceConfiguration(addressing).httpClient(UrlConnectionHttpClient.create());
            S3Presigner.Builder signer = S3Presigner.builder().region(region).credentialsProvider(credentials)
                    .serviceConfiguration(addressing);
            if (endpoint != null) {
                client.endpointOverride(URI.create(endpoint));
                signer.endpointOverride(URI.create(endpoint));
            }
            s3 = client.build();
            presigner = signer.build();
        }

        @Override
        public void close() {
            presigner.close();
            s3.close();
        }
    }
}
