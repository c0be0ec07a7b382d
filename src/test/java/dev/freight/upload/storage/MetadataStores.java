package dev.freight.upload.storage;

import java.util.List;
import java.util.Optional;

import dev.freight.support.TestConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A {@link MetadataStore} built by hand on a table of the test's choosing, for tests outside this package. */
public final class MetadataStores {

    private MetadataStores() {
    }

    /** A store on {@code table} through {@code dynamoDb} (the app's client, so its interceptors see the calls). */
    public static MetadataStore onTable(DynamoDbClient dynamoDb, String table) {
        return new MetadataStore(dynamoDb, TestConfig.withTable(table), new ListingTokens(Optional.empty(), List.of()),
                StorageFailures.unobserved());
    }
}
