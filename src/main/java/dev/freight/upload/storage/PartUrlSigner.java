package dev.freight.upload.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import dev.freight.upload.model.SignedUrl;

/**
 * SigV4 query signing of part PUTs, exactly as the SDK's {@code presignUploadPart} writes them (same URL, byte for
 * byte) but with the derived signing key kept until the day, the region or the credentials change, instead of
 * derived (four HMACs) and looked up through the SDK's pipeline for every URL. Covers what the service signs for
 * parts: signed {@code content-length} and {@code host}, optional {@code x-amz-checksum-sha256}, unsigned payload,
 * static or session credentials (the {@code X-Amz-Security-Token} of role and task credentials), and whatever
 * addressing (path-style or virtual-host) the URL prefix, taken from an SDK-signed URL, carries. Thread-safe.
 */
final class PartUrlSigner {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String CHECKSUM_HEADER = "x-amz-checksum-sha256";

    /** The derived key for one day, region and set of credentials, with the pieces of the URL they fix. */
    private record SigningKey(AwsCredentialsIdentity credentials, long day, SecretKeySpec key, String scope,
            String encodedCredential, String encodedSessionToken) {
    }

    /** The X-Amz-Date of one second, formatted once. */
    private record Stamp(long epochSecond, String stamp) {
    }

    private final String urlPrefix;
    private final String pathPrefix;
    private final String host;
    private final String region;
    private final Supplier<? extends AwsCredentialsIdentity> credentials;
    private final ThreadLocal<Mac> hmac = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(
            () -> instance(() -> MessageDigest.getInstance("SHA-256")));
    private volatile SigningKey signingKey;
    private volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, null);

    /**
     * @param urlPrefix everything of a part URL before the encoded object key (scheme, authority, bucket path)
     * @param pathPrefix the URL path before the object key ({@code /bucket/} path-style, {@code /} virtual-host)
     * @param host the signed Host header
     * @param credentials resolved for every URL (cheap: providers cache), so rotated credentials re-derive the key
     */
    PartUrlSigner(String urlPrefix, String pathPrefix, String host, String region,
            Supplier<? extends AwsCredentialsIdentity> credentials) {
        this.urlPrefix = urlPrefix;
        this.pathPrefix = pathPrefix;
        this.host = host;
        this.region = region;
        this.credentials = credentials;
    }

    /** Object keys whose URL path the SDK writes as the segments' plain encoding (every key Freight makes). */
    static boolean covers(String objectKey) {
        return !objectKey.isEmpty() && !objectKey.startsWith("/") && !objectKey.contains("//")
                && !("/" + objectKey + "/").contains("/./") && !("/" + objectKey + "/").contains("/../");
    }

    /** Whether credentials are there to sign with (anonymous ones are left to the SDK). */
    boolean hasCredentials() {
        AwsCredentialsIdentity current = credentials.get();
        return current != null && current.accessKeyId() != null && current.secretAccessKey() != null;
    }

    /** The URL the SDK's presignUploadPart answers for these inputs when it signs at {@code now}. */
    SignedUrl sign(String objectKey, String uploadId, int partNumber, long size, String checksumSha256,
            Duration lifetime, Instant now) {
        SigningKey key = keyFor(now);
        String stamp = stamp(now);
        String encodedUploadId = encode(uploadId);
        String encodedPath = encodePath(objectKey);
        String signedHeaders = checksumSha256 == null ? "content-length%3Bhost"
                : "content-length%3Bhost%3Bx-amz-checksum-sha256";
        long expires = lifetime.toSeconds();

        StringBuilder canonical = new StringBuilder(512).append("PUT\n").append(pathPrefix).append(encodedPath)
                .append("\nX-Amz-Algorithm=").append(ALGORITHM)
                .append("&X-Amz-Credential=").append(key.encodedCredential())
                .append("&X-Amz-Date=").append(stamp)
                .append("&X-Amz-Expires=").append(expires);
        if (key.encodedSessionToken() != null) {
            canonical.append("&X-Amz-Security-Token=").append(key.encodedSessionToken());
        }
        canonical.append("&X-Amz-SignedHeaders=").append(signedHeaders)
                .append("&partNumber=").append(partNumber)
                .append("&uploadId=").append(encodedUploadId)
                .append("\ncontent-length:").append(size)
                .append("\nhost:").append(host).append('\n');
        if (checksumSha256 != null) {
            canonical.append(CHECKSUM_HEADER).append(':').append(checksumSha256.strip()).append('\n');
        }
        canonical.append('\n').append(checksumSha256 == null ? "content-length;host"
                : "content-length;host;x-amz-checksum-sha256").append("\nUNSIGNED-PAYLOAD");

        String stringToSign = ALGORITHM + "\n" + stamp + "\n" + key.scope() + "\n"
                + hex(sha256.get().digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        String signature = hex(mac(key.key(), stringToSign));

        // Parameter order as the SDK writes it.
        StringBuilder url = new StringBuilder(512).append(urlPrefix).append(encodedPath)
                .append("?partNumber=").append(partNumber)
                .append("&uploadId=").append(encodedUploadId);
        if (key.encodedSessionToken() != null) {
            url.append("&X-Amz-Security-Token=").append(key.encodedSessionToken());
        }
        url.append("&X-Amz-Algorithm=").append(ALGORITHM)
                .append("&X-Amz-Date=").append(stamp)
                .append("&X-Amz-SignedHeaders=").append(signedHeaders)
                .append("&X-Amz-Credential=").append(key.encodedCredential())
                .append("&X-Amz-Expires=").append(expires)
                .append("&X-Amz-Signature=").append(signature);
        return new SignedUrl(url.toString(), now.plus(lifetime),
                checksumSha256 == null ? Map.of() : Map.of(CHECKSUM_HEADER, checksumSha256));
    }

    /** The key of today and the current credentials; derived again when either changed. */
    private SigningKey keyFor(Instant now) {
        long day = Math.floorDiv(now.getEpochSecond(), 86_400L);
        AwsCredentialsIdentity current = credentials.get();
        SigningKey cached = signingKey;
        if (cached != null && cached.day() == day && sameCredentials(cached.credentials(), current)) {
            return cached;
        }
        String dayText = STAMP.format(now).substring(0, 8);
        byte[] derived = ("AWS4" + current.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {dayText, region, "s3", "aws4_request"}) {
            derived = mac(new SecretKeySpec(derived, "HmacSHA256"), part);
        }
        String scope = dayText + "/" + region + "/s3/aws4_request";
        String sessionToken = current instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        SigningKey fresh = new SigningKey(current, day, new SecretKeySpec(derived, "HmacSHA256"), scope,
                encode(current.accessKeyId() + "/" + scope), sessionToken == null ? null : encode(sessionToken));
        signingKey = fresh;
        return fresh;
    }

    private static boolean sameCredentials(AwsCredentialsIdentity cached, AwsCredentialsIdentity current) {
        if (cached == current) {
            return true;
        }
        String cachedToken = cached instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        String currentToken = current instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        return cached.accessKeyId().equals(current.accessKeyId())
                && cached.secretAccessKey().equals(current.secretAccessKey()) && Objects.equals(cachedToken, currentToken);
    }

    private String stamp(Instant now) {
        Stamp last = lastStamp;
        if (last.epochSecond() == now.getEpochSecond()) {
            return last.stamp();
        }
        Stamp fresh = new Stamp(now.getEpochSecond(), STAMP.format(now));
        lastStamp = fresh;
        return fresh.stamp();
    }

    private byte[] mac(SecretKeySpec key, String data) {
        Mac mac = hmac.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Each segment percent-encoded, the slashes kept (the SDK's path encoding of an object key). */
    static String encodePath(String objectKey) {
        StringBuilder out = new StringBuilder(objectKey.length() + 16);
        int start = 0;
        while (true) {
            int slash = objectKey.indexOf('/', start);
            encodeInto(out, slash < 0 ? objectKey.substring(start) : objectKey.substring(start, slash));
            if (slash < 0) {
                return out.toString();
            }
            out.append('/');
            start = slash + 1;
        }
    }

    /** RFC 3986 percent-encoding as SigV4 wants it: only unreserved characters stay. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        encodeInto(out, value);
        return out.toString();
    }

    private static void encodeInto(StringBuilder out, String value) {
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c < 0x80 && unreserved(c)) {
                out.append(c);
            } else {
                for (byte b : (c < 0x80 ? String.valueOf(c) : value.substring(index, index + Character.charCount(
                        value.codePointAt(index)))).getBytes(StandardCharsets.UTF_8)) {
                    int octet = b & 0xff;
                    out.append('%').append(Character.toUpperCase(HEX[octet >> 4]))
                            .append(Character.toUpperCase(HEX[octet & 15]));
                }
                if (Character.isHighSurrogate(c) && index + 1 < value.length()) {
                    index++;
                }
            }
        }
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~';
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int index = 0; index < bytes.length; index++) {
            out[2 * index] = HEX[(bytes[index] >> 4) & 15];
            out[2 * index + 1] = HEX[bytes[index] & 15];
        }
        return new String(out);
    }

    private interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T instance(Factory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
