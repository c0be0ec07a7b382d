package dev.freight.upload.storage;


import dev.freight.support.TestConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The {@link MetadataTable} built by hand on a table of the test's choosing, for tests outside this package. */
public final class MetadataTables {

    private MetadataTables() {
    }

    /** A store on {@code table} through {@code dynamoDb} (the app's client, so its interceptors see the calls). */
    public static MetadataTable onTable(DynamoDbClient dynamoDb, String table) {
        return new MetadataTable(new DynamoDbCalls(dynamoDb, TestConfig.withTable(table), StorageFailures.unobserved()));
    }
}
