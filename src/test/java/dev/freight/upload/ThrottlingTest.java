package dev.freight.upload;

import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.freight.dynamodb.limits.Limits;
import dev.freight.support.EmbeddedStorageResource;
import dev.freight.support.ManagementInterface;
import dev.freight.support.StorageInspector;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * DynamoDB throttling, produced by the engine's limits (AWS's divided by a huge factor, so after the first request
 * every table and index is over its rate): throttled calls answer 503 with a jittered Retry-After soon, change
 * nothing in the table or in S3, are counted as throttled, and leave readiness UP.
 */
@QuarkusTest
class ThrottlingTest {

    /** AWS's rates divided by 10^9: a bucket holds 0.00004 units, so only the first request of each passes. */
    private static final Limits EVERYTHING_THROTTLED = Limits.builder().enabled(true).scaleFactor(1e9)
            .burstSeconds(1).build();

    @Inject
    StorageInspector storage;

    @AfterEach
    void limitsOff() {
        EmbeddedStorageResource.dynamoDb().throttle(Limits.OFF);
    }

    @Test
    void throttledInitsAnswer503WithJitteredRetryAfterAndChangeNothing() {
        String fileId = init(initBody("before.bin", 10, null)).getString("file_id");
        double throttledBefore = throttledCount();
        long items = storage.itemCountWithoutCounters();
        StorageInspector.Mark mark = storage.mark();
        int spent = throttle();
        Set<String> retryAfters = new HashSet<>();
        List<Long> millis = new ArrayList<>();
        try {
            for (int index = 0; index < 20; index++) {
                long began = System.nanoTime();
                Response answer = given().contentType("application/json")
                        .body(initBody("throttled" + index + ".bin", 10, null)).post("/api/upload/init");
                millis.add((System.nanoTime() - began) / 1_000_000);
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.contentType()).startsWith("application/problem+json");
                assertThat(answer.jsonPath().getString("detail")).isEqualTo("DynamoDB is unavailable; retry later");
                assertThat(Integer.parseInt(answer.header("Retry-After"))).isBetween(1, 5);
                retryAfters.add(answer.header("Retry-After"));
            }
            long began = System.nanoTime();
            Response read = given().get("/api/upload/" + fileId);
            long readMillis = (System.nanoTime() - began) / 1_000_000;
            assertThat(read.statusCode()).isEqualTo(503);
            Log.infof("Throttled init answered 503 in %s ms (sorted: %s); a throttled status read in %d ms",
                    millis.stream().mapToLong(Long::longValue).summaryStatistics(),
                    millis.stream().sorted().toList(), readMillis);
        } finally {
            EmbeddedStorageResource.dynamoDb().throttle(Limits.OFF);
        }
        // Clients told to come back at different times, not in one wave.
        assertThat(retryAfters).hasSizeGreaterThan(1);
        // Refused inits wrote no record and left no multipart upload behind.
        assertThat(storage.itemCountWithoutCounters()).isEqualTo(items + spent);
        assertThat(storage.openUploadsStartedSince(mark)).hasSize(spent);
        assertThat(throttledCount() - throttledBefore).isGreaterThanOrEqualTo(20);
        // And the upload started before goes on.
        assertThat(given().get("/api/upload/" + fileId).statusCode()).isEqualTo(200);
    }

    @Test
    void readinessStaysUpWhenTheTableThrottlesAndSaysSo() {
        throttle();
        JsonPath health = ManagementInterface.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        Map<String, Object> table = health.getMap("checks.find { it.name == 'dynamodb-table' }");
        assertThat(table.get("status")).isEqualTo("UP");
        assertThat(health.getMap("checks.find { it.name == 'dynamodb-table' }.data")).containsEntry("throttled", true);
    }

    /**
     * Turns the limits on and spends each table and index bucket's one free request, so every call after is
     * throttled; returns the uploads that spending started (1 when its init got through, else 0).
     */
    private static int throttle() {
        EmbeddedStorageResource.dynamoDb().throttle(EVERYTHING_THROTTLED);
        int spent = given().contentType("application/json").body(initBody("spends-the-buckets.bin", 10, null))
                .post("/api/upload/init").statusCode() == 201 ? 1 : 0;
        ManagementInterface.given().get("/q/health/ready");
        return spent;
    }

    private static double throttledCount() {
        return ManagementInterface.given().get("/q/metrics").asString().lines()
                .filter(line -> line.startsWith("freight_storage_errors_total") && line.contains("cause=\"throttled\"")
                        && line.contains("storage=\"dynamodb\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
