package dev.freight.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts S3Proxy (in memory) and the DynamoDB engine (in a temporary directory, so a restart keeps its data) on free
 * ports for the tests, and points the app's clients at them. Tests reach both through {@link #s3()} and
 * {@link #dynamoDb()} to simulate outages.
 */
public class EmbeddedStorageResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "freighttest";
    public static final String SECRET_KEY = "freighttestsecret";

    private static EmbeddedS3 s3;
    private static EmbeddedDynamoDb dynamoDb;
    private static Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            if (s3 == null) {
                dataDir = Files.createTempDirectory("freight-test-dynamodb");
                // Any origin: the browser tests load the page from a random port.
                s3 = EmbeddedS3.start(null, 0, ACCESS_KEY, SECRET_KEY, List.of("*"));
                dynamoDb = EmbeddedDynamoDb.start(dataDir, 0);
            }
            return Map.of(
                    "quarkus.s3.endpoint-override", s3.endpoint().toString(),
                    "quarkus.dynamodb.endpoint-override", dynamoDb.endpoint().toString());
        } catch (Exception failure) {
            throw new IllegalStateException("Embedded storage did not start", failure);
        }
    }

    @Override
    public void stop() {
        // Kept running for the whole test JVM: Quarkus restarts between test profiles and reuses them.
    }

    public static EmbeddedS3 s3() {
        return s3;
    }

    public static EmbeddedDynamoDb dynamoDb() {
        return dynamoDb;
    }
}
