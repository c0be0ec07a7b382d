package dev.freight.support;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Calls to the management interface (health probes, metrics) of the app under test: its own port, chosen at start
 * ({@code %test.quarkus.management.test-port=0}), which Quarkus writes back into the configuration.
 */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    /** A rest-assured request to the management port. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
