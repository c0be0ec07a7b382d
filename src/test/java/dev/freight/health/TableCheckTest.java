package dev.freight.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.freight.support.DynamoDbRequestRecorder;
import dev.freight.support.ManagementInterface;
import dev.freight.support.TestConfig;
import dev.freight.upload.storage.MetadataTable;
import dev.freight.upload.storage.MetadataTables;
import dev.freight.upload.storage.S3MultipartStorage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The readiness probe's {@value StorageReadiness#DYNAMODB_CHECK} check against the DynamoDB engine: a GetItem of a key
 * nothing writes, so it answers UP when the table exists, DOWN naming a missing table, and writes nothing.
 */
@QuarkusTest
class TableCheckTest {

    private static final String MISSING_TABLE = "freight-no-such-table";

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    S3MultipartStorage storage;

    @Inject
    HealthConfig health;

    @ConfigProperty(name = "freight.storage.table")
    String table;

    @Test
    void upWhenTheTableExistsReadingOnlyAKeyNothingWrites() {
        List<Map<String, AttributeValue>> before = items(table);
        int sentBefore = DynamoDbRequestRecorder.sent().size();

        for (int probe = 0; probe < 3; probe++) {
            JsonPath ready = ManagementInterface.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
            Map<String, Object> check = ready.getMap("checks.find { it.name == '" + StorageReadiness.DYNAMODB_CHECK
                    + "' }");
            assertThat(check).containsEntry("status", "UP");
            assertThat(ready.getString("checks.find { it.name == '" + StorageReadiness.DYNAMODB_CHECK
                    + "' }.data.table")).isEqualTo(table);
        }

        List<SdkRequest> sent = DynamoDbRequestRecorder.sent();
        assertProbeReadsOnly(sent.subList(sentBefore, sent.size()), table, 3);
        assertThat(items(table)).as("the table after the probes").containsExactlyInAnyOrderElementsOf(before);
        assertThat(dynamoDb.getItem(get -> get.tableName(table).key(probeKey())).hasItem()).isFalse();
    }

    @Test
    void downWithTheTableMissingMessageWhenTheTableDoesNotExist() throws Exception {
        assertThat(dynamoDb.listTables().tableNames()).doesNotContain(MISSING_TABLE);
        MetadataTable onMissingTable = MetadataTables.onTable(dynamoDb, MISSING_TABLE);
        StorageReadiness readiness = new StorageReadiness(storage, onMissingTable, TestConfig.withTable(MISSING_TABLE),
                health);
        int sentBefore = DynamoDbRequestRecorder.sent().size();
        try {
            HealthCheckResponse answer = readiness.tableCheck().call();

            assertThat(answer.getName()).isEqualTo(StorageReadiness.DYNAMODB_CHECK);
            assertThat(answer.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            Map<String, Object> data = answer.getData().orElseThrow();
            assertThat(data).containsEntry("table", MISSING_TABLE);
            // DynamoDB answers a GetItem on a missing table as it answered DescribeTable: ResourceNotFoundException.
            assertThat((String) data.get("error"))
                    .isEqualTo("DynamoDB rejected a request (ResourceNotFoundException)");
        } finally {
            readiness.stop();
        }
        List<SdkRequest> sent = DynamoDbRequestRecorder.sent();
        assertProbeReadsOnly(sent.subList(sentBefore, sent.size()), MISSING_TABLE, 1);
        assertThat(dynamoDb.listTables().tableNames()).doesNotContain(MISSING_TABLE);
    }

    /** Each probe sent one eventually consistent GetItem of the reserved key, and nothing else. */
    private static void assertProbeReadsOnly(List<SdkRequest> sent, String table, int probes) {
        assertThat(sent).hasSize(probes).allSatisfy(request -> assertThat(request)
                .isInstanceOfSatisfying(GetItemRequest.class, get -> {
                    assertThat(get.tableName()).isEqualTo(table);
                    assertThat(get.key()).isEqualTo(probeKey());
                    assertThat(get.consistentRead()).isNotEqualTo(Boolean.TRUE);
                }));
    }

    private static Map<String, AttributeValue> probeKey() {
        return Map.of("file_id", AttributeValue.fromS(MetadataTable.READINESS_PROBE_KEY));
    }

    /** Every item of {@code table} (a test may scan: it must see what the probe might have written anywhere). */
    private List<Map<String, AttributeValue>> items(String table) {
        return dynamoDb.scanPaginator(scan -> scan.tableName(table)).items().stream().toList();
    }
}
