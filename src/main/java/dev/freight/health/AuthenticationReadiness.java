package dev.freight.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.freight.config.FreightConfig;

/**
 * Says on readiness whether callers are authenticated: with authentication off every caller is one owner, which an
 * operator should see wherever the instance is watched, not only in its start-up log. Always UP (it is a fact, not
 * a fault).
 */
@Readiness
@ApplicationScoped
public class AuthenticationReadiness implements HealthCheck {

    public static final String NAME = "freight-authentication";

    private final boolean enabled;

    AuthenticationReadiness(FreightConfig config) {
        this.enabled = config.auth().enabled();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).up().withData("enabled", enabled);
        if (!enabled) {
            response.withData("warning", "authentication is off: every caller is the one owner 'anonymous' and "
                    + "shares its uploads, listing and quota");
        }
        return response.build();
    }
}
