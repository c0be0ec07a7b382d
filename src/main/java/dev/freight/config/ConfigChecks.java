package dev.freight.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

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
        if (config.quota().maxOpenUploads() < 1 || config.quota().maxOpenBytes() < 1) {
            problems.add("freight.quota.max-open-uploads and freight.quota.max-open-bytes must be at least 1");
        }
        config.listing().tokenKey().ifPresent(key -> {
            if (key.length() < 32) {
                problems.add("freight.listing.token-key must be at least 32 characters");
            }
        });
        if (config.auth().enabled() && publicKey.isEmpty() && publicKeyLocation.isEmpty()) {
            problems.add("freight.auth.enabled is true but no verification key is set: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (and MP_JWT_VERIFY_ISSUER), or FREIGHT_AUTH_ENABLED=false");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
    }
}
