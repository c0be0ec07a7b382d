package dev.freight.upload.service;

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
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.Base64Keys;
import dev.freight.config.FreightConfig;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.Base64Url;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.UploadGrant;

/**
 * Issues and checks {@code upload_token}s: an {@link UploadGrant} serialized and authenticated with HMAC-SHA256 under
 * the server's token key ({@code freight.upload.token-keys}). The first configured key signs; every configured key
 * (at most two) verifies, so a key rotates without downtime: add the new one first, drop the old one a resumable
 * period later. The token is opaque to clients; nothing in it is secret, it only cannot be forged.
 */
@ApplicationScoped
public class UploadTokens {

    /** Format version and separator: {@code ft1.<payload>.<mac>}, both base64url without padding. */
    private static final String PREFIX = "ft1.";
    private static final byte VERSION = 1;
    private static final int MAX_TOKEN_LENGTH = 2048;

    private final List<SecretKeySpec> keys;
    private final ThreadLocal<Mac[]> macs;
    private final Clock clock;

    @Inject
    UploadTokens(FreightConfig config, Clock clock) {
        this(config.upload().tokenKeys().orElse(List.of()), clock);
    }

    /** Keys as configured (base64, the first signs); {@code clock} decides expiry. */
    public UploadTokens(List<String> base64Keys, Clock clock) {
        this.keys = base64Keys.stream().map(key -> new SecretKeySpec(Base64Keys.decode(key), "HmacSHA256")).toList();
        this.clock = clock;
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

    /** The token for {@code grant}. */
    public String issue(UploadGrant grant) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("No freight.upload.token-keys configured");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(grant.expiresAt().getEpochSecond());
            out.writeLong(grant.fileId().getMostSignificantBits());
            out.writeLong(grant.fileId().getLeastSignificantBits());
            out.writeLong(grant.fileSize());
            out.writeLong(grant.partSize());
            out.writeInt(grant.partCount());
            out.writeByte(grant.checksumAlgorithm().ordinal());
            out.writeUTF(grant.owner());
            out.writeUTF(grant.uploadId());
            out.writeUTF(grant.objectKey());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        String signed = PREFIX + Base64Url.encode(bytes.toByteArray());
        return signed + "." + Base64Url.encode(macs.get()[0].doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The grant a token carries for {@code fileId} and {@code caller}. A forged, malformed or expired token, or one
     * for another upload, is a 400; a token of another caller is the same 404 as an unknown id.
     */
    public UploadGrant verify(String token, UUID fileId, String caller) {
        UploadGrant grant = authentic(token);
        if (!grant.fileId().equals(fileId)) {
            throw invalid("is for another upload");
        }
        if (!grant.owner().equals(caller)) {
            throw new FreightException(ProblemType.UPLOAD_NOT_FOUND, "No upload with this file_id");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw invalid("has expired: the upload is no longer resumable, or check its status for a new token");
        }
        return grant;
    }

    private UploadGrant authentic(String token) {
        int macStart = token.lastIndexOf('.');
        if (token.length() > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX) || macStart <= PREFIX.length()) {
            throw invalid("is not an upload token");
        }
        byte[] claimed;
        byte[] payload;
        try {
            // Only the canonical spelling: one token, one text (the payload is under the MAC, the MAC is not).
            claimed = Base64Url.decodeCanonical(token.substring(macStart + 1));
            payload = Base64Url.decodeCanonical(token.substring(PREFIX.length(), macStart));
        } catch (IllegalArgumentException notBase64) {
            throw invalid("is not an upload token");
        }
        byte[] signed = token.substring(0, macStart).getBytes(StandardCharsets.US_ASCII);
        boolean authentic = false;
        for (Mac mac : macs.get()) {
            authentic |= MessageDigest.isEqual(mac.doFinal(signed), claimed);
        }
        if (!authentic) {
            throw invalid("is not valid (forged, altered, or signed with a key this server no longer has)");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                throw invalid("has an unknown version");
            }
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            UUID fileId = new UUID(in.readLong(), in.readLong());
            long fileSize = in.readLong();
            long partSize = in.readLong();
            int partCount = in.readInt();
            ChecksumAlgorithm algorithm = ChecksumAlgorithm.values()[in.readByte()];
            String owner = in.readUTF();
            String uploadId = in.readUTF();
            String objectKey = in.readUTF();
            return new UploadGrant(owner, fileId, uploadId, objectKey, fileSize, partSize, partCount, algorithm,
                    expiresAt);
        } catch (IOException | RuntimeException malformed) {
            // Only a holder of the key could have written it: a bug, not an attack; still refused.
            throw malformed instanceof FreightException refused ? refused : invalid("is malformed");
        }
    }

    private static FreightException invalid(String message) {
        return new FreightException(ProblemType.INVALID_REQUEST, "upload_token " + message,
                List.of(new FieldError("upload_token", message)));
    }
}
