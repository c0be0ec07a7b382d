package dev.freight.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.freight.upload.service.UploadTokens;
import io.quarkus.runtime.StartupEvent;

/** Refuses to start with settings that would make the service unsafe or break S3's rules, saying which. */
@ApplicationScoped
public class ConfigChecks {

    /** S3 refuses presigned URLs that live longer than 7 days. */
    static final Duration MAX_URL_TTL = Duration.ofDays(7);

    void onStart(@Observes @Priority(1) StartupEvent start, FreightConfig config,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation) {
        List<String> problems = new ArrayList<>();
        Duration urlTtl = config.upload().urlTtl();
        if (urlTtl.isNegative() || urlTtl.isZero() || urlTtl.compareTo(MAX_URL_TTL) > 0) {
            problems.add("freight.upload.url-ttl must be between 1 second and 7 days, is " + urlTtl);
        }
        if (config.upload().urlBatchSize() < 1 || config.upload().urlBatchSize() > 10_000) {
            problems.add("freight.upload.url-batch-size must be between 1 and 10000");
        }
        if (config.upload().minPartSize() > config.upload().maxPartSize()) {
            problems.add("freight.upload.min-part-size must not exceed freight.upload.max-part-size");
        }
        problems.addAll(tokenKeyProblems(config.upload().tokenKeys()));
        if (config.auth().enabled() && publicKey.isEmpty() && publicKeyLocation.isEmpty()) {
            problems.add("freight.auth.enabled is true but no verification key is set: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (and MP_JWT_VERIFY_ISSUER), or FREIGHT_AUTH_ENABLED=false");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
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
            try {
                if (UploadTokens.decodeKey(keys.get(index)).length < 32) {
                    problems.add("freight.upload.token-keys key " + (index + 1) + " is shorter than 32 bytes");
                }
            } catch (IllegalArgumentException notBase64) {
                problems.add("freight.upload.token-keys key " + (index + 1) + " is not base64");
            }
        }
        return problems;
    }
}
