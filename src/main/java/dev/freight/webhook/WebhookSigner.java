package dev.freight.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as the Standard Webhooks specification says (spec/standard-webhooks.md, "Signature scheme" and
 * "Webhook headers", github.com/standard-webhooks/standard-webhooks): the content signed is
 * {@code {msg_id}.{timestamp}.{payload}}, the symmetric scheme is HMAC-SHA256 under the secret serialized "base64
 * encoded, prefixed with whsec_", and {@code webhook-signature} is "a space delimited list of signatures", each
 * {@code v1,} followed by the base64 signature, one per secret while a secret rotates.
 */
public final class WebhookSigner {

    /** The prefix of a serialized symmetric secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** The specification's lower bound for a symmetric secret: "at least 24 bytes". */
    public static final int MIN_SECRET_BYTES = 24;
    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    /** @param secrets {@code whsec_...} secrets, the current one first; each signs every message */
    public WebhookSigner(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("A webhook needs at least one whsec_ secret");
        }
        List<SecretKeySpec> decoded = new ArrayList<>();
        for (String secret : secrets) {
            decoded.add(new SecretKeySpec(decode(secret), ALGORITHM));
        }
        this.keys = List.copyOf(decoded);
    }

    /**
     * The secret's key bytes.
     *
     * @throws IllegalArgumentException when it lacks the prefix, is not base64 or is shorter than 24 bytes (the
     *     message never holds the secret itself)
     */
    public static byte[] decode(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()).trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("a webhook secret is " + SECRET_PREFIX + " and base64");
        }
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a webhook secret holds at least " + MIN_SECRET_BYTES + " bytes, this "
                    + key.length);
        }
        return key;
    }

    /** The {@code webhook-signature} header's value: {@code v1,<base64>} per secret, space-separated. */
    public String sign(String messageId, long timestampSeconds, String body) {
        if (messageId.indexOf('.') >= 0) {
            // The specification: ids must not hold a full stop, which would make the signed content ambiguous.
            throw new IllegalArgumentException("A webhook id must not contain '.'");
        }
        byte[] content = (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        for (SecretKeySpec key : keys) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(mac(key, content)));
        }
        return header.toString();
    }

    /**
     * Whether {@code header} holds a {@code v1} signature of this message under one of the secrets (constant-time
     * comparison); used to check an answer signed back, and by the tests.
     */
    public boolean verifies(String messageId, long timestampSeconds, String body, String header) {
        byte[] content = (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        for (String signature : header.trim().split(" +")) {
            if (!signature.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(signature.substring(3));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            for (SecretKeySpec key : keys) {
                if (MessageDigest.isEqual(mac(key, content), given)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] mac(SecretKeySpec key, byte[] content) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(content);
        } catch (GeneralSecurityException notAvailable) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", notAvailable);
        }
    }
}
