package dev.freight.upload.service;

import java.io.DataInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.UploadGrant;
import dev.freight.upload.service.TokenCodec.Refusal;
import dev.freight.upload.service.TokenCodec.RefusedToken;

/**
 * Issues and checks {@code upload_token}s: an {@link UploadGrant} serialized and authenticated with HMAC-SHA256 under
 * the server's token key ({@code freight.upload.token-keys}) by the {@link TokenCodec}. The first configured key
 * signs; every configured key (at most two) verifies, so a key rotates without downtime: add the new one first, drop
 * the old one a resumable period later. The token is opaque to clients; nothing in it is secret, it only cannot be
 * forged.
 */
@ApplicationScoped
public class UploadTokens {

    /** Format version and separator: {@code ft1.<payload>.<mac>}, both base64url without padding. */
    private static final String PREFIX = "ft1.";
    private static final int VERSION = 1;
    private static final int MAX_TOKEN_LENGTH = 2048;

    private final TokenCodec codec;

    @Inject
    UploadTokens(FreightConfig config, Clock clock) {
        this(config.upload().tokenKeys().orElse(List.of()), clock);
    }

    /** Keys as configured (base64, the first signs); {@code clock} decides expiry. */
    public UploadTokens(List<String> base64Keys, Clock clock) {
        this.codec = new TokenCodec(PREFIX, VERSION, MAX_TOKEN_LENGTH, base64Keys, clock);
    }

    /** The token for {@code grant}. */
    public String issue(UploadGrant grant) {
        return codec.seal(grant.expiresAt(), out -> {
            out.writeLong(grant.fileId().getMostSignificantBits());
            out.writeLong(grant.fileId().getLeastSignificantBits());
            out.writeLong(grant.fileSize());
            out.writeLong(grant.partSize());
            out.writeInt(grant.partCount());
            out.writeByte(grant.checksumAlgorithm().ordinal());
            out.writeUTF(grant.owner());
            out.writeUTF(grant.uploadId());
            out.writeUTF(grant.objectKey());
        });
    }

    /**
     * The grant a token carries for {@code fileId} and {@code caller}. A forged, malformed or expired token, or one
     * for another upload, is a 400; a token of another caller is the same 404 as an unknown id.
     */
    public UploadGrant verify(String token, UUID fileId, String caller) {
        try {
            UploadGrant grant = codec.open(token, UploadTokens::grant);
            if (!grant.fileId().equals(fileId)) {
                throw invalid("is for another upload");
            }
            if (!grant.owner().equals(caller)) {
                throw new FreightException(ProblemType.UPLOAD_NOT_FOUND, "No upload with this file_id");
            }
            codec.requireUnexpired(grant.expiresAt());
            return grant;
        } catch (RefusedToken refused) {
            throw invalid(why(refused.refusal()));
        }
    }

    private static UploadGrant grant(Instant expiresAt, DataInputStream in) throws IOException {
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
    }

    private static String why(Refusal refusal) {
        return switch (refusal) {
            case NOT_A_TOKEN -> "is not an upload token";
            case FORGED -> "is not valid (forged, altered, or signed with a key this server no longer has)";
            case UNKNOWN_VERSION -> "has an unknown version";
            case MALFORMED -> "is malformed";
            case EXPIRED -> "has expired: the upload is no longer resumable, or check its status for a new token";
        };
    }

    private static FreightException invalid(String message) {
        return new FreightException(ProblemType.INVALID_REQUEST, "upload_token " + message,
                List.of(new FieldError("upload_token", message)));
    }
}
