package dev.freight.upload.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.Base64Keys;
import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.Base64Url;

/**
 * Issues and checks the capabilities in a Companion base URL ({@code /companion/c/<capability>}): who the uploads
 * belong to and until when, authenticated with HMAC-SHA256 under the upload-token keys. Uppy's Companion mode sends
 * no {@code Authorization} header, so the host app's backend asks for one with the owner's own credentials and hands
 * the base URL to its page. The signed text starts {@code fc1.} where an upload token's starts {@code ft1.}: one
 * never passes for the other.
 */
@ApplicationScoped
public class CompanionCapabilities {

    /** Who a capability speaks for; {@code name} is the author of its uploads, or null. */
    public record Holder(String owner, String name, Instant expiresAt) {
    }

    private static final String PREFIX = "fc1.";
    private static final byte VERSION = 1;
    /** Owner and name are at most a few hundred bytes: anything longer was not issued here. */
    static final int MAX_LENGTH = 1024;

    private final List<SecretKeySpec> keys;
    private final Clock clock;
    private final Duration lifetime;

    @Inject
    CompanionCapabilities(FreightConfig config, Clock clock) {
        this(config.upload().tokenKeys().orElse(List.of()), config.companion().capabilityTtl(), clock);
    }

    public CompanionCapabilities(List<String> base64Keys, Duration lifetime, Clock clock) {
        this.keys = base64Keys.stream().map(key -> new SecretKeySpec(Base64Keys.decode(key), "HmacSHA256")).toList();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A capability for {@code owner} (and its display name, or null), valid for the configured lifetime. */
    public String issue(String owner, String name) {
        Instant expiresAt = clock.instant().plus(lifetime);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(expiresAt.getEpochSecond());
            out.writeUTF(owner);
            out.writeUTF(name == null ? "" : name);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        String signed = PREFIX + Base64Url.encode(bytes.toByteArray());
        return signed + "." + Base64Url.encode(mac(keys.get(0), signed));
    }

    /** When a capability issued now expires. */
    public Instant expiryOfNew() {
        return clock.instant().plus(lifetime);
    }

    /** Who {@code capability} speaks for; a forged, altered, malformed or expired one is a 401. */
    public Holder verify(String capability) {
        int macStart = capability.lastIndexOf('.');
        if (capability.length() > MAX_LENGTH || !capability.startsWith(PREFIX) || macStart <= PREFIX.length()) {
            throw refused("is not a Companion capability");
        }
        byte[] claimed;
        byte[] payload;
        try {
            claimed = Base64Url.decodeCanonical(capability.substring(macStart + 1));
            payload = Base64Url.decodeCanonical(capability.substring(PREFIX.length(), macStart));
        } catch (IllegalArgumentException notBase64) {
            throw refused("is not a Companion capability");
        }
        String signed = capability.substring(0, macStart);
        boolean authentic = false;
        for (SecretKeySpec key : keys) {
            authentic |= MessageDigest.isEqual(mac(key, signed), claimed);
        }
        if (!authentic) {
            throw refused("is not valid (forged, altered, or signed with a key this server no longer has)");
        }
        Holder holder;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                throw refused("has an unknown version");
            }
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            String owner = in.readUTF();
            String name = in.readUTF();
            holder = new Holder(owner, name.isEmpty() ? null : name, expiresAt);
        } catch (IOException malformed) {
            throw refused("is malformed");
        }
        if (!clock.instant().isBefore(holder.expiresAt())) {
            throw refused("has expired: ask the app for a new Companion URL");
        }
        return holder;
    }

    private static byte[] mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static FreightException refused(String why) {
        return new FreightException(ProblemType.UNAUTHORIZED, "The Companion capability " + why);
    }
}
