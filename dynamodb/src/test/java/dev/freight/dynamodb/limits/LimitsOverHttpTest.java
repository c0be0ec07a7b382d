package dev.freight.dynamodb.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.server.DynamoDbServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The limits as a client sees them: the engine over HTTP with AWS's limits divided by 400 and 15 ms transaction holds,
 * on a clock the test moves, through the AWS SDK with retries off (so every refusal is seen once).
 */
class LimitsOverHttpTest {

    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/uploads";

    private final FakeClock clock = new FakeClock();
    private Engine engine;
    private DynamoDbServer server;
    private DynamoDbClient dynamo;

    @BeforeEach
    void start() throws Exception {
        start(Limits.builder().enabled(true).scaleFactor(400).transactionHold(Duration.ofMillis(15)).build());
    }

    private void start(Limits limits) throws Exception {
        if (engine != null) {
            stop();
        }
        engine = new Engine(EngineOptions.builder().throughputGate(limits.throughputGate(clock))
                .itemHolds(limits.itemHolds(clock)).build());
        server = DynamoDbServer.start(engine, "127.0.0.1", 0);
        dynamo = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create()).build();
        dynamo.createTable(create -> create.tableName("uploads").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("owner").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .globalSecondaryIndexes(index -> index.indexName("by-owner")
                        .keySchema(k -> k.attributeName("owner").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
    }

    @AfterEach
    void stop() {
        dynamo.close();
        server.close();
        engine.close();
    }

    @Test
    void aHotKeyThrottlesWithItsReasonWhileTheTableIsServedAndTheThrottledPutChangesNothing() {
        put("hot", null, "1");
        put("hot", null, "2"); // 2 of the key's 2.5 write units a second

        ThrottlingException refused = catchThrowableOfType(ThrottlingException.class, () -> put("hot", null, "3"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(refused.throttlingReasons()).extracting(ThrottlingReason::reason, ThrottlingReason::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("TableWriteKeyRangeThroughputExceeded", TABLE_ARN));
        assertThat(get("hot")).containsEntry("v", AttributeValue.fromN("2"));
        put("cold", null, "1");
        assertThat(get("cold")).containsEntry("v", AttributeValue.fromN("1"));
        clock.advanceMillis(400); // one unit back
        put("hot", null, "3");
        assertThat(get("hot")).containsEntry("v", AttributeValue.fromN("3"));
    }

    @Test
    void batchGetItemChargesEachKeyAsAGetItemAndAnswersAThrottledKeyAsUnprocessed() {
        put("cold", null, "1");
        put("hot", null, "1");
        put("hot", null, "2"); // 2 of the key's 2.5 write units; a consistent read costs a third of one

        var both = dynamo.batchGetItem(get -> get.returnConsumedCapacity("TOTAL").requestItems(Map.of("uploads",
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().consistentRead(true)
                        .keys(Map.of("pk", AttributeValue.fromS("hot")), Map.of("pk", AttributeValue.fromS("none")))
                        .build())));
        // One unit each, as two consistent GetItems (the missing item too).
        assertThat(both.consumedCapacity()).singleElement().satisfies(consumed ->
                assertThat(consumed.capacityUnits()).isEqualTo(2.0));
        assertThat(both.responses().get("uploads")).extracting(item -> item.get("pk").s()).containsExactly("hot");

        // The hot key has a sixth of a unit left: it is answered unprocessed, the cold one read.
        var partial = dynamo.batchGetItem(get -> get.requestItems(Map.of("uploads",
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().consistentRead(true)
                        .keys(Map.of("pk", AttributeValue.fromS("hot")), Map.of("pk", AttributeValue.fromS("cold")))
                        .build())));
        assertThat(partial.responses().get("uploads")).extracting(item -> item.get("pk").s()).containsExactly("cold");
        assertThat(partial.unprocessedKeys().get("uploads").keys()).containsExactly(
                Map.of("pk", AttributeValue.fromS("hot")));
        assertThat(partial.unprocessedKeys().get("uploads").consistentRead()).isTrue();

        // Nothing processed at all: the call is throttled.
        ThrottlingException refused = catchThrowableOfType(ThrottlingException.class, () -> dynamo.batchGetItem(
                get -> get.requestItems(Map.of("uploads", software.amazon.awssdk.services.dynamodb.model
                        .KeysAndAttributes.builder().consistentRead(true)
                        .keys(Map.of("pk", AttributeValue.fromS("hot"))).build()))));
        assertThat(refused.throttlingReasons()).extracting(ThrottlingReason::reason)
                .containsExactly("TableReadKeyRangeThroughputExceeded");
    }

    @Test
    void aHotIndexPartitionFailsTheTableWritesThatTouchItAndStoresNothing() {
        put("file-1", "ann", "1");
        put("file-2", "ann", "1"); // two writes on ann's index partition, on two cold table keys

        ThrottlingException refused = catchThrowableOfType(ThrottlingException.class, () -> put("file-3", "ann", "1"));

        assertThat(refused.throttlingReasons()).extracting(ThrottlingReason::reason)
                .containsExactly("IndexWriteKeyRangeThroughputExceeded");
        assertThat(refused.throttlingReasons().get(0).resource()).isEqualTo(TABLE_ARN + "/index/by-owner");
        assertThat(get("file-3")).isEmpty();
        put("file-4", "bob", "1"); // another owner's partition is served
        assertThat(get("file-4")).containsEntry("owner", AttributeValue.fromS("bob"));
    }

    @Test
    void aTransactionHoldsItsItemsAgainstAnotherTransactionAndASingleWrite() throws Exception {
        // AWS's throughput unscaled, so only the hold can refuse here.
        start(Limits.builder().enabled(true).transactionHold(Duration.ofMillis(15)).build());
        transact("counter", "other-1"); // over in microseconds, but holds both items for 15 ms

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> transact("other-2", "counter"));
        assertThat(cancelled.cancellationReasons()).extracting(r -> r.code(), r -> r.message()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("None", null),
                org.assertj.core.groups.Tuple.tuple("TransactionConflict", "Transaction is ongoing for the item"));
        TransactionConflictException conflict = catchThrowableOfType(TransactionConflictException.class,
                () -> put("counter", null, "9"));
        assertThat(conflict.awsErrorDetails().errorMessage()).isEqualTo("Transaction is ongoing for the item");
        assertThat(get("counter")).containsEntry("v", AttributeValue.fromN("1")); // neither refused write landed
        assertThat(get("other-2")).isEmpty();

        clock.advanceMillis(15);
        transact("other-2", "counter");
        assertThat(get("counter")).containsEntry("v", AttributeValue.fromN("2"));
    }

    @Test
    void aThrottledTransactionIsCancelledWithThrottlingErrorAtTheThrottledItem() {
        transact("busy"); // a transactional write costs 2 of the key's 2.5 units
        clock.advanceMillis(15); // past the hold: now only throughput can refuse (0.54 units back, 2 needed)

        // "There is insufficient provisioned capacity for the transaction to be completed" cancels it, with the
        // reason code ThrottlingError for an on-demand table (API_TransactWriteItems.html, CancellationReasons).
        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> transact("calm", "busy"));
        assertThat(cancelled.cancellationReasons()).extracting(r -> r.code()).containsExactly("None", "ThrottlingError");
        assertThat(cancelled.cancellationReasons().get(1).message()).startsWith("Throughput exceeds the current capacity");
        assertThat(get("calm")).isEmpty();
        assertThat(get("busy")).containsEntry("v", AttributeValue.fromN("1"));
    }

    @Test
    void aProvisionedTableAnswersProvisionedThroughputExceeded() {
        // 800 write units / 400 = 2 a second; a new provisioned table starts with one second of them.
        dynamo.createTable(create -> create.tableName("fixed").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(400L).writeCapacityUnits(800L))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
        dynamo.putItem(put -> put.tableName("fixed").item(Map.of("pk", AttributeValue.fromS("a"))));
        dynamo.putItem(put -> put.tableName("fixed").item(Map.of("pk", AttributeValue.fromS("b"))));

        ProvisionedThroughputExceededException refused = catchThrowableOfType(ProvisionedThroughputExceededException.class,
                () -> dynamo.putItem(put -> put.tableName("fixed").item(Map.of("pk", AttributeValue.fromS("c")))));

        assertThat(refused.awsErrorDetails().errorMessage()).startsWith("The level of configured provisioned throughput");
        assertThat(refused.throttlingReasons()).extracting(ThrottlingReason::reason)
                .containsExactly("TableWriteProvisionedThroughputExceeded");
        assertThat(dynamo.getItem(g -> g.tableName("fixed").key(Map.of("pk", AttributeValue.fromS("c")))).hasItem()).isFalse();
        // The on-demand table beside it keeps its own quota.
        put("elsewhere", null, "1");
    }

    private void put(String pk, String owner, String v) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromN(v)));
        if (owner != null) {
            item.put("owner", AttributeValue.fromS(owner));
        }
        dynamo.putItem(put -> put.tableName("uploads").item(item));
    }

    /** One transaction adding 1 to v of each item, in order. */
    private void transact(String... pks) {
        dynamo.transactWriteItems(t -> t.transactItems(java.util.Arrays.stream(pks).map(pk -> TransactWriteItem.builder()
                .update(u -> u.tableName("uploads").key(Map.of("pk", AttributeValue.fromS(pk)))
                        .updateExpression("ADD v :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))
                .build()).toList()));
    }

    private Map<String, AttributeValue> get(String pk) {
        return dynamo.getItem(g -> g.tableName("uploads").key(Map.of("pk", AttributeValue.fromS(pk)))).item();
    }
}
