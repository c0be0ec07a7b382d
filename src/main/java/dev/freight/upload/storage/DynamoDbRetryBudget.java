package dev.freight.upload.storage;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.freight.config.FreightConfig;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The DynamoDB client with a small retry budget: {@code freight.storage.dynamodb-max-attempts} attempts with short
 * jittered waits, instead of the SDK's DynamoDB default that kept a throttled write's worker ~10 s (the whole
 * {@code quarkus.dynamodb.api-call-timeout}) before the client got its 503. The client is the extension's, built
 * from its configured builder (endpoint, credentials, interceptors) as the extension's "Overriding the client
 * configuration" describes (https://docs.quarkiverse.io/quarkus-amazon-services/dev/common-features.html).
 */
@ApplicationScoped
public class DynamoDbRetryBudget {

    /** Full-jitter exponential waits between attempts: at most 0.5 s each, so a refused call answers within ~1 s. */
    static final BackoffStrategy BACKOFF = BackoffStrategy.exponentialDelay(Duration.ofMillis(25),
            Duration.ofMillis(500));

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDb(DynamoDbClientBuilder configured, FreightConfig config) {
        return configured.overrideConfiguration(configured.overrideConfiguration().toBuilder()
                .retryStrategy(strategy(config.storage().dynamodbMaxAttempts())).build()).build();
    }

    static RetryStrategy strategy(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts)
                .backoffStrategy(BACKOFF).throttlingBackoffStrategy(BACKOFF).build();
    }
}
