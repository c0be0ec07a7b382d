package dev.freight.upload.service;

import java.io.DataInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.service.TokenCodec.Refusal;
import dev.freight.upload.service.TokenCodec.RefusedToken;

/**
 * Issues and checks the capabilities in a Companion base URL ({@code /companion/c/<capability>}): who the uploads
 * belong to and until when, authenticated with HMAC-SHA256 under the upload-token keys by the {@link TokenCodec}.
 * Uppy's Companion mode sends no {@code Authorization} header, so the host app's backend asks for one with the
 * owner's own credentials and hands the base URL to its page. The signed text starts {@code fc1.} where an upload
 * token's starts {@code ft1.}: one never passes for the other.
 */
@ApplicationScoped
public class CompanionCapabilities {

    /** Who a capability speaks for; {@code name} is the author of its uploads, or null. */
    public record Holder(String owner, String name, Instant expiresAt) {
    }

    private static final String PREFIX = "fc1.";
    private static final int VERSION = 1;
    /** Owner and name are at most a few hundred bytes: anything longer was not issued here. */
    static final int MAX_LENGTH = 1024;

    private final TokenCodec codec;
    private final Clock clock;
    private final Duration lifetime;

    @Inject
    CompanionCapabilities(FreightConfig config, Clock clock) {
        this(config.upload().tokenKeys().orElse(List.of()), config.companion().capabilityTtl(), clock);
    }

    public CompanionCapabilities(List<String> base64Keys, Duration lifetime, Clock clock) {
        this.codec = new TokenCodec(PREFIX, VERSION, MAX_LENGTH, base64Keys, clock);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A capability for {@code owner} (and its display name, or null), valid for the configured lifetime. */
    public String issue(String owner, String name) {
        return codec.seal(expiryOfNew(), out -> {
            out.writeUTF(owner);
            out.writeUTF(name == null ? "" : name);
        });
    }

    /** When a capability issued now expires. */
    public Instant expiryOfNew() {
        return clock.instant().plus(lifetime);
    }

    /** Who {@code capability} speaks for; a forged, altered, malformed or expired one is a 401. */
    public Holder verify(String capability) {
        try {
            Holder holder = codec.open(capability, CompanionCapabilities::holder);
            codec.requireUnexpired(holder.expiresAt());
            return holder;
        } catch (RefusedToken refused) {
            throw new FreightException(ProblemType.UNAUTHORIZED, "The Companion capability " + why(refused.refusal()));
        }
    }

    private static Holder holder(Instant expiresAt, DataInputStream in) throws IOException {
        String owner = in.readUTF();
        String name = in.readUTF();
        return new Holder(owner, name.isEmpty() ? null : name, expiresAt);
    }

    private static String why(Refusal refusal) {
        return switch (refusal) {
            case NOT_A_TOKEN -> "is not a Companion capability";
            case FORGED -> "is not valid (forged, altered, or signed with a key this server no longer has)";
            case UNKNOWN_VERSION -> "has an unknown version";
            case MALFORMED -> "is malformed";
            case EXPIRED -> "has expired: ask the app for a new Companion URL";
        };
    }
}
