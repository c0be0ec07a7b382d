package dev.freight.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: the process answers HTTP. Deliberately checks no dependency: restarting the container does not fix an
 * S3 or DynamoDB outage, so storage only affects readiness.
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {

    public static final String NAME = "freight";

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up(NAME);
    }
}
