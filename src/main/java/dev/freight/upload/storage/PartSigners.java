package dev.freight.upload.storage;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Decides at start-up who signs part URLs: the {@link PartUrlSigner}, set up from the S3 client's own region and
 * credentials and from the addressing of an SDK-signed URL, when it reproduces the SDK presigner's URLs exactly for
 * sample parts (with and without a checksum); the SDK presigner otherwise (e.g. anonymous credentials, an endpoint
 * or signing mode it does not cover). Either way clients get the same URL.
 */
final class PartSigners {

    private static final String PROBE_KEY = "freight-signer-probe";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private PartSigners() {
    }

    static Optional<PartUrlSigner> checkedAgainstSdk(S3Client s3, S3Presigner presigner, String bucket) {
        try {
            PartUrlSigner signer = fromSdk(s3, presigner, bucket);
            if (!signer.hasCredentials()) {
                Log.info("Part URLs are signed by the SDK presigner (no credentials to cache a signing key for)");
                return Optional.empty();
            }
            for (String checksum : new String[] {null, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}) {
                PresignedRequest sdk = sdkPart(presigner, bucket, "a1b2c3d4-probe", "2~probe+/=id", 7, 5_242_880L,
                        checksum, Duration.ofMinutes(15));
                Instant at = signedAt(sdk.url().toString());
                String ours = signer.sign("a1b2c3d4-probe", "2~probe+/=id", 7, 5_242_880L, checksum,
                        Duration.ofMinutes(15), at).url();
                if (!ours.equals(sdk.url().toString())) {
                    Log.warn("Part URLs are signed by the SDK presigner: the cached-key signer's URL differs from"
                            + " the SDK's for this endpoint and credentials");
                    return Optional.empty();
                }
            }
            Log.info("Part URLs are signed by the cached-key SigV4 signer (checked against the SDK presigner)");
            return Optional.of(signer);
        } catch (RuntimeException unsupported) {
            Log.warnf("Part URLs are signed by the SDK presigner: %s", unsupported.toString());
            return Optional.empty();
        }
    }

    /** A signer with the client's region and credentials and the URL prefix the SDK writes for this bucket. */
    static PartUrlSigner fromSdk(S3Client client, S3Presigner presigner, String bucket) {
        PresignedRequest probe = sdkPart(presigner, bucket, PROBE_KEY, "probe", 1, 1, null, Duration.ofMinutes(1));
        String url = probe.url().toString();
        int keyAt = url.indexOf("/" + PROBE_KEY + "?");
        if (keyAt < 0) {
            throw new IllegalStateException("unexpected part URL layout");
        }
        String rawPath = URI.create(url).getRawPath();
        String pathPrefix = rawPath.substring(0, rawPath.length() - PROBE_KEY.length());
        List<String> host = probe.signedHeaders().get("host");
        if (host == null || host.size() != 1) {
            throw new IllegalStateException("the SDK signed no single Host header");
        }
        return new PartUrlSigner(url.substring(0, keyAt + 1), pathPrefix, host.get(0),
                client.serviceClientConfiguration().region().id(),
                credentials(client.serviceClientConfiguration().credentialsProvider()));
    }

    static Supplier<AwsCredentialsIdentity> credentials(
            IdentityProvider<? extends AwsCredentialsIdentity> provider) {
        if (provider instanceof AwsCredentialsProvider classic) {
            return classic::resolveCredentials;
        }
        return () -> provider.resolveIdentity().join();
    }

    static PresignedRequest sdkPart(S3Presigner presigner, String bucket, String objectKey, String uploadId,
            int partNumber, long size, String checksumSha256, Duration lifetime) {
        return presigner.presignUploadPart(presign -> presign.signatureDuration(lifetime)
                .uploadPartRequest(part -> {
                    part.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(partNumber).contentLength(size);
                    if (checksumSha256 != null) {
                        part.checksumSHA256(checksumSha256);
                    }
                }));
    }

    /** The X-Amz-Date a presigned URL was signed at. */
    static Instant signedAt(String url) {
        int at = url.indexOf("X-Amz-Date=") + "X-Amz-Date=".length();
        return STAMP.parse(url.substring(at, at + 16), Instant::from);
    }
}
