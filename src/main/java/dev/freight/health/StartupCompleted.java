package dev.freight.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import io.quarkus.runtime.StartupEvent;

/**
 * Startup: UP once every start-up observer (including provisioning, when on) has run. Orchestrators hold liveness
 * and readiness probes until this answers, so a slow first start is not mistaken for a dead process.
 */
@Startup
@ApplicationScoped
public class StartupCompleted implements HealthCheck {

    public static final String NAME = "freight-started";

    private volatile boolean started;

    // Lowest priority: runs after the provisioner and every other start-up observer.
    void onStart(@Observes @jakarta.annotation.Priority(Integer.MAX_VALUE) StartupEvent start) {
        started = true;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(started).build();
    }
}
