package dev.freight.upload.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.Base64Url;

/**
 * Makes and checks the listing's {@code next_token}: where each stream of the index (each shard, see {@link
 * IndexShards}) continues, after the last upload taken from it (that upload's file id and sortable initiation time,
 * both the caller's own), authenticated with HMAC-SHA256 over the cursors, the caller and the listing's filters. A token is therefore refused when it was changed, cut short,
 * made up, or presented by another caller or for another listing. Tokens signed with a previous key stay valid
 * while that key is configured as previous, so keys can be rotated without breaking clients mid-listing.
 */
@ApplicationScoped
public class ListingTokens {

    /** v2: one cursor per index stream (v1 held one position, in the unsharded owner index). */
    private static final String VERSION = "v2";
    private static final String DONE = "-";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec signingKey;
    private final List<SecretKeySpec> acceptedKeys;

    @Inject
    ListingTokens(FreightConfig config) {
        this(config.listing().tokenKey(), config.listing().previousTokenKeys().orElse(List.of()));
    }

    ListingTokens(Optional<String> tokenKey, List<String> previousKeys) {
        if (tokenKey.isPresent()) {
            signingKey = key(tokenKey.get().getBytes(StandardCharsets.UTF_8));
        } else {
            // Dev mode and tests only: a deployment refuses to start without a key (ConfigChecks).
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            signingKey = key(random);
        }
        List<SecretKeySpec> keys = new ArrayList<>(List.of(signingKey));
        previousKeys.stream().map(previous -> key(previous.getBytes(StandardCharsets.UTF_8))).forEach(keys::add);
        acceptedKeys = List.copyOf(keys);
    }

    /** A token for the cursors {@code cursors} (one per index stream) of {@code owner}'s listing with these filters. */
    String encode(List<ShardMerge.Cursor> cursors, String owner, String filters) {
        String payload = String.join("\n", cursors.stream().map(ListingTokens::line).toList());
        byte[] mac = mac(signingKey, owner, filters, payload);
        return VERSION + "." + Base64Url.encode(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(mac);
    }

    /**
     * The {@code streams} cursors a token holds, once it is proven to be one this service issued for this caller and
     * listing.
     *
     * @throws FreightException (400) for any other token, saying nothing about why
     */
    List<ShardMerge.Cursor> decode(String token, String owner, String filters, int streams) {
        try {
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            String payload = new String(Base64Url.decodeCanonical(parts[1]), StandardCharsets.UTF_8);
            byte[] presented = Base64Url.decodeCanonical(parts[2]);
            boolean authentic = false;
            for (SecretKeySpec key : acceptedKeys) {
                authentic |= MessageDigest.isEqual(mac(key, owner, filters, payload), presented);
            }
            if (!authentic) {
                throw invalid();
            }
            String[] lines = payload.split("\n", -1);
            if (lines.length != streams) {
                // Made when the index had another number of shards: start the listing again.
                throw invalid();
            }
            List<ShardMerge.Cursor> cursors = new ArrayList<>(streams);
            for (String line : lines) {
                cursors.add(cursor(line));
            }
            return cursors;
        } catch (IllegalArgumentException malformed) {
            throw invalid();
        }
    }

    /** One stream's cursor as one line: empty from its start, {@code -} when done, else file id and sort key. */
    private static String line(ShardMerge.Cursor cursor) {
        return switch (cursor.kind()) {
            case START -> "";
            case DONE -> DONE;
            case AFTER -> cursor.fileId() + " " + cursor.sortKey();
        };
    }

    private static ShardMerge.Cursor cursor(String line) {
        if (line.isEmpty()) {
            return ShardMerge.Cursor.START;
        }
        if (line.equals(DONE)) {
            return ShardMerge.Cursor.DONE;
        }
        String[] position = line.split(" ", -1);
        if (position.length != 2 || position[1].isEmpty()) {
            throw invalid();
        }
        return ShardMerge.Cursor.after(UUID.fromString(position[0]).toString(), position[1]);
    }

    private static byte[] mac(SecretKeySpec key, String owner, String filters, String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // Length-prefixed fields: no two different (owner, filters, payload) triples give the same input.
            for (String field : List.of(VERSION, owner, filters, payload)) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                mac.update(new byte[] { (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                        (byte) (bytes.length >>> 8), (byte) bytes.length });
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static SecretKeySpec key(byte[] bytes) {
        return new SecretKeySpec(bytes, ALGORITHM);
    }

    private static FreightException invalid() {
        return new FreightException(ProblemType.INVALID_REQUEST, "next_token is not a token this listing gave",
                List.of(new FieldError("next_token", "invalid token")));
    }

}
