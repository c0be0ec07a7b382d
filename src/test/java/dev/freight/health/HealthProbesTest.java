package dev.freight.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.freight.support.EmbeddedStorageResource;
import dev.freight.support.ManagementInterface;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The probes an orchestrator uses: a storage outage turns readiness DOWN, naming the check, and liveness stays UP. */
@QuarkusTest
class HealthProbesTest {

    @Test
    void allProbesAreUpWithNamedStorageChecks() {
        JsonPath ready = ManagementInterface.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(check(ready, StorageReadiness.S3_CHECK)).containsEntry("status", "UP");
        assertThat(data(ready, StorageReadiness.S3_CHECK)).containsEntry("bucket", "freight-uploads");
        assertThat(check(ready, StorageReadiness.DYNAMODB_CHECK)).containsEntry("status", "UP");
        assertThat(data(ready, StorageReadiness.DYNAMODB_CHECK)).containsEntry("table", "freight-uploads");

        JsonPath live = ManagementInterface.given().get("/q/health/live").then().statusCode(200).extract().jsonPath();
        assertThat(live.getList("checks.name", String.class)).containsExactly(ProcessLiveness.NAME);

        JsonPath started = ManagementInterface.given().get("/q/health/started").then().statusCode(200).extract().jsonPath();
        assertThat(started.getList("checks.name", String.class)).contains(StartupCompleted.NAME);
        assertThat(started.getString("status")).isEqualTo("UP");
    }

    @Test
    void theProbesAndMetricsAreOnlyOnTheManagementPort() {
        // The public port serves no probe: an anonymous caller learns no bucket or table and causes no storage call.
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/health/started",
                "/q/metrics")) {
            String answer = given().get(path).then().statusCode(404).extract().asString();
            assertThat(answer).as(path).doesNotContain("freight-uploads", "UP");
        }
        assertThat(ManagementInterface.port()).isNotEqualTo(io.restassured.RestAssured.port);
        ManagementInterface.given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void s3OutageTurnsReadinessDownAndLeavesLivenessUp() throws Exception {
        EmbeddedStorageResource.s3().close();
        try {
            long began = System.nanoTime();
            JsonPath ready = ManagementInterface.given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat((System.nanoTime() - began) / 1_000_000).isLessThan(5_000);
            assertThat(ready.getString("status")).isEqualTo("DOWN");
            assertThat(check(ready, StorageReadiness.S3_CHECK)).containsEntry("status", "DOWN");
            // Refused connections fail fast, unless the SDK's retries outlast the probe's wait: either names the cause.
            assertThat((String) data(ready, StorageReadiness.S3_CHECK).get("error"))
                    .containsAnyOf("S3 is unavailable", "no answer within");
            assertThat(check(ready, StorageReadiness.DYNAMODB_CHECK)).containsEntry("status", "UP");
            ManagementInterface.given().get("/q/health/live").then().statusCode(200);
            ManagementInterface.given().get("/q/health/started").then().statusCode(200);
        } finally {
            EmbeddedStorageResource.s3().restart();
        }
        assertReadyAgain();
    }

    @Test
    void dynamoDbOutageTurnsReadinessDownAndLeavesLivenessUp() throws Exception {
        EmbeddedStorageResource.dynamoDb().close();
        try {
            JsonPath ready = ManagementInterface.given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(check(ready, StorageReadiness.DYNAMODB_CHECK)).containsEntry("status", "DOWN");
            assertThat((String) data(ready, StorageReadiness.DYNAMODB_CHECK).get("error"))
                    .containsAnyOf("DynamoDB is unavailable", "no answer within");
            assertThat(check(ready, StorageReadiness.S3_CHECK)).containsEntry("status", "UP");
            ManagementInterface.given().get("/q/health/live").then().statusCode(200);
        } finally {
            EmbeddedStorageResource.dynamoDb().restart();
        }
        assertReadyAgain();
    }

    /** Readiness comes back by itself once storage answers (a check still retrying may need a moment). */
    private static void assertReadyAgain() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        int status;
        do {
            status = ManagementInterface.given().get("/q/health/ready").statusCode();
            if (status != 200) {
                Thread.sleep(200);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    private static Map<String, Object> check(JsonPath health, String name) {
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(check -> name.equals(check.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check named " + name + " in " + checks));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(JsonPath health, String name) {
        return (Map<String, Object>) check(health, name).get("data");
    }
}
