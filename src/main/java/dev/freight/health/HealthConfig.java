package dev.freight.health;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the probes ({@code freight.health.*}, or {@code FREIGHT_HEALTH_*} environment variables). */
@ConfigMapping(prefix = "freight.health")
public interface HealthConfig {

    /** Longest wait for each storage check of the readiness probe before it answers DOWN. */
    @WithDefault("2S")
    Duration storageTimeout();

    /**
     * Run the storage checks once at start-up, in the background, so the clients are built and the first readiness
     * probe answers without waiting for them. Off in tests: a check still running would land in the first test's
     * counted storage calls.
     */
    @WithDefault("true")
    boolean warmUp();
}
