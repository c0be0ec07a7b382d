package dev.freight.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.freight.upload.model.S3Limits;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** Refuses to start with settings that would make the service unsafe or break S3's rules, saying which. */
@ApplicationScoped
public class ConfigChecks {

    /** S3 refuses presigned URLs that live longer than 7 days. */
    static final Duration MAX_URL_TTL = Duration.ofDays(7);

    /** Shortest listing key accepted: 32 characters give HMAC-SHA256 its full strength when they are random. */
    static final int MIN_LISTING_KEY_LENGTH = 32;

    /**
     * What example files and docs put where a secret goes (REPLACE_ME, CHANGE_ME, {@code <your key>}, "..."): never
     * a key, however long. No random key contains these by chance.
     */
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i)replace|change.?me|example|placeholder|<[^>]*>|\\.\\.\\.");

    void onStart(@Observes @Priority(1) StartupEvent start, FreightConfig config,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences) {
        List<String> problems = new ArrayList<>();
        Duration urlTtl = config.upload().urlTtl();
        if (urlTtl.isNegative() || urlTtl.isZero() || urlTtl.compareTo(MAX_URL_TTL) > 0) {
            problems.add("freight.upload.url-ttl must be between 1 second and 7 days, is " + urlTtl);
        }
        if (config.upload().urlBatchSize() < 1 || config.upload().urlBatchSize() > S3Limits.MAX_PARTS) {
            problems.add("freight.upload.url-batch-size must be between 1 and 10000");
        }
        if (config.upload().minPartSize() > config.upload().maxPartSize()) {
            problems.add("freight.upload.min-part-size must not exceed freight.upload.max-part-size");
        }
        if (config.quota().maxOpenUploads().orElse(1L) < 1 || config.quota().maxOpenBytes().orElse(1L) < 1) {
            problems.add("freight.quota.max-open-uploads and freight.quota.max-open-bytes must be at least 1");
        }
        if (config.storage().deadlineShards() < 16 || config.storage().deadlineShards() > 1000) {
            problems.add("freight.storage.deadline-shards must be between 16 (what earlier versions wrote) and 1000");
        }
        if (config.upload().repairWorkers() < 1) {
            problems.add("freight.upload.repair-workers must be at least 1");
        }
        if (config.quota().counterShards() < 1 || config.quota().counterShards() > 4096) {
            // At most 4,096: a read of every shard near the cap (100 keys a BatchGetItem) stays at 41 calls.
            problems.add("freight.quota.counter-shards must be between 1 and 4096");
        }
        if (config.storage().dynamodbMaxAttempts() < 1) {
            problems.add("freight.storage.dynamodb-max-attempts must be at least 1");
        }
        Duration retryAfterMin = config.storage().retryAfterMin();
        if (retryAfterMin.getSeconds() < 1 || config.storage().retryAfterMax().compareTo(retryAfterMin) < 0) {
            problems.add("freight.storage.retry-after-min must be at least 1 second and not above retry-after-max");
        }
        // Dev mode and tests may run without one (a random key per instance); a deployment must share one.
        problems.addAll(listingKeyProblems(config.listing().tokenKey(),
                config.listing().previousTokenKeys().orElse(List.of()), LaunchMode.current() == LaunchMode.NORMAL));
        problems.addAll(tokenSettingProblems(config.auth().enabled(), publicKey.or(() -> publicKeyLocation),
                issuer, audiences));
        if (!config.auth().enabled() && LaunchMode.current() == LaunchMode.NORMAL) {
            Log.warn("Authentication is off (freight.auth.enabled=false): every caller is the one owner '"
                    + "anonymous' and shares its uploads, listing and quota. Turn it on outside development.");
        }
        problems.addAll(tokenKeyProblems(config.upload().tokenKeys()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    /**
     * With authentication on, a token is trusted only when its signature, its issuer and its audience are all
     * checked: a token some other service of the same issuer accepts must not be accepted here.
     */
    static List<String> tokenSettingProblems(boolean authEnabled, Optional<String> verificationKey,
            Optional<String> issuer, Optional<List<String>> audiences) {
        if (!authEnabled) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        String remedy = ", or set FREIGHT_AUTH_ENABLED=false where no identity provider exists";
        if (verificationKey.filter(key -> !key.isBlank()).isEmpty()) {
            problems.add("freight.auth.enabled is true but no verification key is set: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (or MP_JWT_VERIFY_PUBLICKEY)" + remedy);
        }
        if (issuer.filter(value -> !value.isBlank()).isEmpty()) {
            problems.add("freight.auth.enabled is true but no issuer is set: set MP_JWT_VERIFY_ISSUER" + remedy);
        }
        if (audiences.orElse(List.of()).stream().allMatch(String::isBlank)) {
            problems.add("freight.auth.enabled is true but no audience is set: set MP_JWT_VERIFY_AUDIENCES "
                    + "(this service's audience, e.g. freight-api)" + remedy);
        }
        return problems;
    }

    /**
     * The listing key: required in a deployment, since without one each instance draws its own and a next_token
     * fails on every other instance and after a restart; at least 32 characters; never an example's placeholder.
     */
    static List<String> listingKeyProblems(Optional<String> tokenKey, List<String> previousKeys, boolean required) {
        List<String> problems = new ArrayList<>();
        String remedy = ": set FREIGHT_LISTING_TOKEN_KEY to the same random value of at least "
                + MIN_LISTING_KEY_LENGTH + " characters (e.g. `openssl rand -base64 48`) on every instance";
        if (tokenKey.isEmpty()) {
            if (required) {
                problems.add("freight.listing.token-key is not set" + remedy);
            }
        } else if (PLACEHOLDER.matcher(tokenKey.get()).find()) {
            problems.add("freight.listing.token-key is an example's placeholder, not a key" + remedy);
        } else if (tokenKey.get().length() < MIN_LISTING_KEY_LENGTH) {
            problems.add("freight.listing.token-key must be at least " + MIN_LISTING_KEY_LENGTH + " characters");
        }
        for (int index = 0; index < previousKeys.size(); index++) {
            if (PLACEHOLDER.matcher(previousKeys.get(index)).find()) {
                problems.add("freight.listing.previous-token-keys key " + (index + 1)
                        + " is an example's placeholder, not a key");
            }
        }
        return problems;
    }

    /** One or two keys of at least 32 bytes: the upload tokens are only as strong as their key. */
    static List<String> tokenKeyProblems(Optional<List<String>> tokenKeys) {
        List<String> keys = tokenKeys.orElse(List.of());
        if (keys.isEmpty()) {
            return List.of("freight.upload.token-keys is not set: set FREIGHT_UPLOAD_TOKEN_KEYS to a random base64 key"
                    + " of at least 32 bytes (e.g. `openssl rand -base64 32`), the same on every instance");
        }
        if (keys.size() > 2) {
            return List.of("freight.upload.token-keys lists " + keys.size() + " keys: at most two (new,old) while one"
                    + " rotates");
        }
        List<String> problems = new ArrayList<>();
        for (int index = 0; index < keys.size(); index++) {
            if (PLACEHOLDER.matcher(keys.get(index)).find()) {
                problems.add("freight.upload.token-keys key " + (index + 1) + " is an example's placeholder, not a key:"
                        + " set a random base64 key of at least 32 bytes (e.g. `openssl rand -base64 32`)");
                continue;
            }
            try {
                if (Base64Keys.decode(keys.get(index)).length < 32) {
                    problems.add("freight.upload.token-keys key " + (index + 1) + " is shorter than 32 bytes");
                }
            } catch (IllegalArgumentException notBase64) {
                problems.add("freight.upload.token-keys key " + (index + 1) + " is not base64");
            }
        }
        return problems;
    }
}
