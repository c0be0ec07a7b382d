package dev.freight.upload.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.freight.config.Base64Keys;
import dev.freight.upload.model.Base64Url;

/**
 * Seals and opens the server's signed tokens ({@code upload_token}s, Companion capabilities), one wire format for
 * all: {@code <prefix><payload>.<mac>}, both base64url without padding and only in their canonical spelling. The
 * payload starts with a version byte and the expiry (epoch seconds), then the token's own fields; the MAC is
 * HMAC-SHA256 of the text before the last dot under the first configured key. Every configured key verifies, so a
 * key rotates without downtime, and MACs are compared in constant time. Nothing in a token is secret; it only cannot
 * be forged. Each kind of token has its own prefix, so one never passes for another.
 */
public final class TokenCodec {

    /** Why a token was refused; each kind of token words it for its callers. */
    public enum Refusal {
        /** Not this kind of token at all: another prefix, too long, not canonical base64url. */
        NOT_A_TOKEN,
        /** Its MAC is not one of a configured key's: forged, altered, or signed with a key since dropped. */
        FORGED,
        UNKNOWN_VERSION,
        /** Authentic but unreadable: only a holder of the key could have written it (a bug, still refused). */
        MALFORMED,
        EXPIRED
    }

    /** A refused token: an answer to the caller, not a failure, so it carries no stack trace. */
    public static final class RefusedToken extends RuntimeException {

        private final Refusal refusal;

        RefusedToken(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Writes a token's own fields, after the version and the expiry. */
    @FunctionalInterface
    public interface FieldsWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a token's own fields back (in the order they were written), given its expiry. */
    @FunctionalInterface
    public interface FieldsReader<T> {
        T read(Instant expiresAt, DataInputStream in) throws IOException;
    }

    private final String prefix;
    private final byte version;
    private final int maxLength;
    private final boolean hasKeys;
    private final ThreadLocal<Mac[]> macs;
    private final Clock clock;

    /**
     * @param prefix what every token of this kind starts with ({@code ft1.}, {@code fc1.})
     * @param version the payload's first byte
     * @param maxLength longer texts are refused before any work
     * @param base64Keys the keys as configured (base64); the first signs, all verify
     * @param clock decides expiry
     */
    public TokenCodec(String prefix, int version, int maxLength, List<String> base64Keys, Clock clock) {
        this.prefix = prefix;
        this.version = (byte) version;
        this.maxLength = maxLength;
        this.clock = clock;
        List<SecretKeySpec> keys = base64Keys.stream()
                .map(key -> new SecretKeySpec(Base64Keys.decode(key), "HmacSHA256")).toList();
        this.hasKeys = !keys.isEmpty();
        // A Mac is not thread-safe and costly to set up: one per key and thread, reused.
        this.macs = ThreadLocal.withInitial(() -> {
            Mac[] perKey = new Mac[keys.size()];
            for (int index = 0; index < perKey.length; index++) {
                try {
                    perKey[index] = Mac.getInstance("HmacSHA256");
                    perKey[index].init(keys.get(index));
                } catch (GeneralSecurityException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            return perKey;
        });
    }

    /** The token carrying {@code fields}, valid until {@code expiresAt}, signed with the first key. */
    public String seal(Instant expiresAt, FieldsWriter fields) {
        if (!hasKeys) {
            throw new IllegalStateException("No freight.upload.token-keys configured");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            out.writeLong(expiresAt.getEpochSecond());
            fields.write(out);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        String signed = prefix + Base64Url.encode(bytes.toByteArray());
        return signed + "." + Base64Url.encode(macs.get()[0].doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * What an authentic token carries; its expiry is not checked here (see {@link #requireUnexpired}), so a caller
     * can first refuse a token for what it is about.
     *
     * @throws RefusedToken when {@code token} is not of this kind, not authentic, or unreadable
     */
    public <T> T open(String token, FieldsReader<T> fields) {
        int macStart = token.lastIndexOf('.');
        if (token.length() > maxLength || !token.startsWith(prefix) || macStart <= prefix.length()) {
            throw new RefusedToken(Refusal.NOT_A_TOKEN);
        }
        byte[] claimed;
        byte[] payload;
        try {
            // Only the canonical spelling: one token, one text (the payload is under the MAC, the MAC is not).
            claimed = Base64Url.decodeCanonical(token.substring(macStart + 1));
            payload = Base64Url.decodeCanonical(token.substring(prefix.length(), macStart));
        } catch (IllegalArgumentException notBase64) {
            throw new RefusedToken(Refusal.NOT_A_TOKEN);
        }
        byte[] signed = token.substring(0, macStart).getBytes(StandardCharsets.US_ASCII);
        boolean authentic = false;
        for (Mac mac : macs.get()) {
            // Every key is tried and compared in constant time: the answer's timing tells nothing about the MAC.
            authentic |= MessageDigest.isEqual(mac.doFinal(signed), claimed);
        }
        if (!authentic) {
            throw new RefusedToken(Refusal.FORGED);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != version) {
                throw new RefusedToken(Refusal.UNKNOWN_VERSION);
            }
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            return fields.read(expiresAt, in);
        } catch (IOException | RuntimeException malformed) {
            throw malformed instanceof RefusedToken refused ? refused : new RefusedToken(Refusal.MALFORMED);
        }
    }

    /** @throws RefusedToken ({@link Refusal#EXPIRED}) from {@code expiresAt} on */
    public void requireUnexpired(Instant expiresAt) {
        if (!clock.instant().isBefore(expiresAt)) {
            throw new RefusedToken(Refusal.EXPIRED);
        }
    }
}
