package dev.freight.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.server.DynamoDbServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** The engine over HTTP with the AWS SDK, as the service uses it: every operation, AWS's error texts, paging, TTL. */
class EngineHttpTest {

    private static final AtomicLong NOW = new AtomicLong(1_700_000_000L);
    private static Engine engine;
    private static DynamoDbServer server;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() throws Exception {
        engine = new Engine(EngineOptions.builder().epochSeconds(NOW::get)
                .ttlSweepInterval(java.time.Duration.ofHours(1)).build());
        server = DynamoDbServer.start(engine, "127.0.0.1", 0);
        dynamo = client(server.endpoint());
        dynamo.createTable(create -> create.tableName("uploads").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("file_id", ScalarAttributeType.S), attribute("owner", ScalarAttributeType.S),
                        attribute("sort", ScalarAttributeType.S), attribute("shard", ScalarAttributeType.N),
                        attribute("deadline", ScalarAttributeType.S))
                .keySchema(key -> key.attributeName("file_id").keyType(KeyType.HASH))
                .globalSecondaryIndexes(index -> index.indexName("owner-index")
                        .keySchema(key -> key.attributeName("owner").keyType(KeyType.HASH),
                                key -> key.attributeName("sort").keyType(KeyType.RANGE))
                        .projection(projection -> projection.projectionType(ProjectionType.ALL)),
                        index -> index.indexName("deadline-index")
                                .keySchema(key -> key.attributeName("shard").keyType(KeyType.HASH),
                                        key -> key.attributeName("deadline").keyType(KeyType.RANGE))
                                .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY))));
        dynamo.createTable(create -> create.tableName("sorted").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("pk", ScalarAttributeType.S), attribute("sk", ScalarAttributeType.N))
                .keySchema(key -> key.attributeName("pk").keyType(KeyType.HASH),
                        key -> key.attributeName("sk").keyType(KeyType.RANGE)));
    }

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
        engine.close();
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeDefinition attribute(String name,
            ScalarAttributeType type) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder().attributeName(name)
                .attributeType(type).build();
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    private static AttributeValue n(String number) {
        return AttributeValue.fromN(number);
    }

    @Test
    void describesAndListsTables() {
        var table = dynamo.describeTable(describe -> describe.tableName("uploads")).table();
        assertThat(table.tableStatusAsString()).isEqualTo("ACTIVE");
        assertThat(table.globalSecondaryIndexes()).extracting(index -> index.indexName())
                .containsExactly("owner-index", "deadline-index");
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        List<String> all = dynamo.listTables().tableNames();
        assertThat(all).contains("sorted", "uploads").isSorted();
        var first = dynamo.listTables(list -> list.limit(1));
        assertThat(first.tableNames()).containsExactly(all.get(0));
        assertThat(first.lastEvaluatedTableName()).isEqualTo(all.get(0));
        assertThat(dynamo.listTables(list -> list.exclusiveStartTableName(all.get(0))).tableNames())
                .isEqualTo(all.subList(1, all.size()));
        assertThatThrownBy(() -> dynamo.describeTable(describe -> describe.tableName("missing")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: Table: missing not found");
        dynamo.waiter().waitUntilTableExists(describe -> describe.tableName("uploads"));
    }

    @Test
    void conditionalPutRefusesTheSecondAndAnswersTheOldItem() {
        Map<String, AttributeValue> item = Map.of("file_id", s("put-1"), "version", n("1"));
        dynamo.putItem(put -> put.tableName("uploads").item(item).conditionExpression("attribute_not_exists(file_id)"));
        assertThatThrownBy(() -> dynamo.putItem(put -> put.tableName("uploads").item(item)
                .conditionExpression("attribute_not_exists(file_id)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, failed -> {
                    assertThat(failed.getMessage()).startsWith("The conditional request failed");
                    assertThat(failed.item()).containsEntry("version", n("1"));
                });
        var old = dynamo.putItem(put -> put.tableName("uploads").item(Map.of("file_id", s("put-1"), "version", n("2.50")))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        assertThat(old).isEqualTo(item);
        // Numbers come back without trailing zeros, as DynamoDB answers them.
        assertThat(dynamo.getItem(get -> get.tableName("uploads").key(Map.of("file_id", s("put-1")))).item()
                .get("version").n()).isEqualTo("2.5");
    }

    @Test
    void updateExpressionsAndReturnValues() {
        Map<String, AttributeValue> key = Map.of("file_id", s("upd-1"));
        var created = dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET #n = if_not_exists(#n, :zero) + :one, tags = :tags, parts = :list ADD hits :five")
                .expressionAttributeNames(Map.of("#n", "count"))
                .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"), ":five", n("5"),
                        ":tags", AttributeValue.fromSs(List.of("b", "a")),
                        ":list", AttributeValue.fromL(List.of(n("1")))))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        assertThat(created).containsEntry("count", n("1")).containsEntry("hits", n("5"))
                .containsEntry("file_id", s("upd-1"));
        assertThat(created.get("tags").ss()).containsExactlyInAnyOrder("a", "b");
        var updatedOld = dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET parts = list_append(parts, :more), #n = #n - :one REMOVE hits DELETE tags :a")
                .expressionAttributeNames(Map.of("#n", "count"))
                .expressionAttributeValues(Map.of(":more", AttributeValue.fromL(List.of(n("2"))), ":one", n("1"),
                        ":a", AttributeValue.fromSs(List.of("a"))))
                .returnValues(ReturnValue.UPDATED_OLD)).attributes();
        assertThat(updatedOld).containsOnlyKeys("parts", "count", "hits", "tags");
        var now = dynamo.getItem(get -> get.tableName("uploads").key(key).consistentRead(true)).item();
        assertThat(now.get("parts").l()).containsExactly(n("1"), n("2"));
        assertThat(now).containsEntry("count", n("0")).doesNotContainKey("hits");
        assertThat(now.get("tags").ss()).containsExactly("b");
        assertThat(dynamo.getItem(get -> get.tableName("uploads").key(key).projectionExpression("parts[1], #c")
                .expressionAttributeNames(Map.of("#c", "count"))).item())
                .isEqualTo(Map.of("parts", AttributeValue.fromL(List.of(n("2"))), "count", n("0")));
    }

    @Test
    void awsValidationMessages() {
        Map<String, AttributeValue> key = Map.of("file_id", s("val-1"));
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET a = :a").expressionAttributeValues(Map.of(":a", n("1"), ":b", n("2")))),
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}");
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET status = :a").expressionAttributeValues(Map.of(":a", n("1")))),
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET file_id = :a").expressionAttributeValues(Map.of(":a", s("x")))),
                "One or more parameter values were invalid: Cannot update attribute file_id. This attribute is part of the key");
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET a = :a").expressionAttributeValues(Map.of(":b", n("1")))),
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :a");
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("SET a = #missing")),
                "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #missing");
        dynamo.putItem(put -> put.tableName("uploads").item(Map.of("file_id", s("val-1"), "label", s("text"))));
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("ADD label :one").expressionAttributeValues(Map.of(":one", n("1")))),
                "An operand in the update expression has an incorrect data type");
        assertValidation(() -> dynamo.updateItem(update -> update.tableName("uploads").key(key)
                .updateExpression("ADD label :text").expressionAttributeValues(Map.of(":text", s("x")))),
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
        assertValidation(() -> dynamo.getItem(get -> get.tableName("uploads").key(key).projectionExpression("a, a.b")),
                "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one "
                        + "of these paths; path one: [a], path two: [a, b]");
        assertValidation(() -> dynamo.putItem(put -> put.tableName("uploads").item(Map.of("file_id", s("")))),
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: file_id");
        assertValidation(() -> dynamo.putItem(put -> put.tableName("uploads").item(Map.of("file_id", s("big"),
                "blob", s("x".repeat(400 * 1024))))), "Item size has exceeded the maximum allowed size");
        assertValidation(() -> dynamo.getItem(get -> get.tableName("uploads").key(Map.of("file_id", n("1")))),
                "The provided key element does not match the schema");
        assertValidation(() -> dynamo.query(query -> query.tableName("uploads").indexName("owner-index")
                .consistentRead(true).keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("x")))),
                "Consistent reads are not supported on global secondary indexes");
        assertValidation(() -> dynamo.putItem(put -> put.tableName("uploads").item(Map.of("file_id", s("x")))
                .conditionExpression("a = = :b").expressionAttributeValues(Map.of(":b", n("1")))),
                "Invalid ConditionExpression: Syntax error; token: \"=\"");
        assertThatThrownBy(() -> dynamo.getItem(get -> get.tableName("nope").key(key)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    private static void assertValidation(Runnable call, String messageStart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, failure -> {
            assertThat(failure.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(failure.awsErrorDetails().errorMessage()).startsWith(messageStart);
            assertThat(failure.statusCode()).isEqualTo(400);
        });
    }

    @Test
    void queriesAnIndexNewestFirstInPagesWithFiltersAndSparseKeys() {
        for (int i = 0; i < 7; i++) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("file_id", s("q-" + i), "owner", s("alice"),
                    "sort", s("2026-01-0" + i), "state", s(i % 2 == 0 ? "even" : "odd")));
            if (i < 3) {
                item.put("shard", n("1"));
                item.put("deadline", s("d-" + i));
            }
            dynamo.putItem(put -> put.tableName("uploads").item(item));
        }
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(query -> query.tableName("uploads").indexName("owner-index")
                    .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", s("alice"))).scanIndexForward(false).limit(3)
                    .exclusiveStartKey(from));
            page.items().forEach(item -> seen.add(item.get("file_id").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                assertThat(start).containsOnlyKeys("file_id", "owner", "sort");
            }
            pages++;
        } while (start != null);
        assertThat(seen).containsExactly("q-6", "q-5", "q-4", "q-3", "q-2", "q-1", "q-0");
        assertThat(pages).isEqualTo(3);
        var filtered = dynamo.query(query -> query.tableName("uploads").indexName("owner-index")
                .keyConditionExpression("#o = :o AND begins_with(#s, :prefix)").filterExpression("#st = :odd")
                .expressionAttributeNames(Map.of("#o", "owner", "#s", "sort", "#st", "state"))
                .expressionAttributeValues(Map.of(":o", s("alice"), ":prefix", s("2026-01"), ":odd", s("odd"))));
        assertThat(filtered.items()).extracting(item -> item.get("file_id").s()).containsExactly("q-1", "q-3", "q-5");
        assertThat(filtered.scannedCount()).isEqualTo(7);
        var deadlines = dynamo.query(query -> query.tableName("uploads").indexName("deadline-index")
                .keyConditionExpression("#sh = :sh AND #d < :now").expressionAttributeNames(Map.of("#sh", "shard", "#d", "deadline"))
                .expressionAttributeValues(Map.of(":sh", n("1"), ":now", s("d-2"))));
        // Sparse and keys only: the three items with the keys, projected to table and index keys.
        assertThat(deadlines.items()).containsExactly(
                Map.of("file_id", s("q-0"), "shard", n("1"), "deadline", s("d-0")),
                Map.of("file_id", s("q-1"), "shard", n("1"), "deadline", s("d-1")));
        var count = dynamo.query(query -> query.tableName("uploads").indexName("owner-index").select(Select.COUNT)
                .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("alice"))));
        assertThat(count.count()).isEqualTo(7);
        assertThat(count.items()).isEmpty();
    }

    @Test
    void sortsNumbersNumericallyAndHonoursRangeConditions() {
        for (String number : List.of("10", "-3", "2.5", "100", "0")) {
            dynamo.putItem(put -> put.tableName("sorted").item(Map.of("pk", s("n"), "sk", n(number))));
        }
        var all = dynamo.query(query -> query.tableName("sorted").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("n"))));
        assertThat(all.items()).extracting(item -> item.get("sk").n()).containsExactly("-3", "0", "2.5", "10", "100");
        var between = dynamo.query(query -> query.tableName("sorted").keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
                .expressionAttributeValues(Map.of(":p", s("n"), ":a", n("0"), ":b", n("10"))).scanIndexForward(false));
        assertThat(between.items()).extracting(item -> item.get("sk").n()).containsExactly("10", "2.5", "0");
    }

    @Test
    void scansInPagesOfOneMegabyteAndBySegment() {
        dynamo.createTable(create -> create.tableName("big").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("id", ScalarAttributeType.S))
                .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH)));
        String payload = "p".repeat(100 * 1024);
        for (int i = 0; i < 25; i++) {
            String id = String.format("item-%02d", i);
            dynamo.putItem(put -> put.tableName("big").item(Map.of("id", s(id), "data", s(payload))));
        }
        ScanResponse first = dynamo.scan(scan -> scan.tableName("big"));
        // 100 KiB items: the page stops at the item that reaches 1 MiB (the 11th).
        assertThat(first.count()).isEqualTo(11);
        assertThat(first.lastEvaluatedKey()).isNotEmpty();
        int total = first.count();
        Map<String, AttributeValue> start = first.lastEvaluatedKey();
        while (start != null && !start.isEmpty()) {
            Map<String, AttributeValue> from = start;
            ScanResponse next = dynamo.scan(scan -> scan.tableName("big").exclusiveStartKey(from));
            total += next.count();
            start = next.hasLastEvaluatedKey() ? next.lastEvaluatedKey() : null;
        }
        assertThat(total).isEqualTo(25);
        int segmented = 0;
        for (int segment = 0; segment < 3; segment++) {
            int current = segment;
            segmented += dynamo.scan(scan -> scan.tableName("big").segment(current).totalSegments(3)
                    .projectionExpression("id").limit(100)).count();
        }
        assertThat(segmented).isEqualTo(25);
    }

    @Test
    void transactionsCancelInRequestOrderAndAreIdempotent() {
        dynamo.putItem(put -> put.tableName("uploads").item(Map.of("file_id", s("tx-counter"), "open", n("1"))));
        TransactWriteItem create = TransactWriteItem.builder().put(Put.builder().tableName("uploads")
                .item(Map.of("file_id", s("tx-1"))).conditionExpression("attribute_not_exists(file_id)").build()).build();
        TransactWriteItem count = TransactWriteItem.builder().update(Update.builder().tableName("uploads")
                .key(Map.of("file_id", s("tx-counter"))).updateExpression("ADD #open :one")
                .conditionExpression("#open < :max").expressionAttributeNames(Map.of("#open", "open"))
                .expressionAttributeValues(Map.of(":one", n("1"), ":max", n("2")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
        dynamo.transactWriteItems(write -> write.transactItems(create, count).clientRequestToken("token-1"));
        // The same token and request again: succeeds without writing twice.
        dynamo.transactWriteItems(write -> write.transactItems(create, count).clientRequestToken("token-1"));
        assertThat(dynamo.getItem(get -> get.tableName("uploads").key(Map.of("file_id", s("tx-counter")))).item()
                .get("open").n()).isEqualTo("2");
        TransactWriteItem other = TransactWriteItem.builder().put(Put.builder().tableName("uploads")
                .item(Map.of("file_id", s("tx-2"))).conditionExpression("attribute_not_exists(file_id)").build()).build();
        assertThatThrownBy(() -> dynamo.transactWriteItems(write -> write.transactItems(other, count)))
                .isInstanceOfSatisfying(TransactionCanceledException.class, canceled -> {
                    assertThat(canceled.getMessage()).startsWith("Transaction cancelled, please refer cancellation "
                            + "reasons for specific reasons [None, ConditionalCheckFailed]");
                    List<CancellationReason> reasons = canceled.cancellationReasons();
                    assertThat(reasons).extracting(CancellationReason::code).containsExactly("None", "ConditionalCheckFailed");
                    assertThat(reasons.get(1).item()).containsEntry("open", n("2"));
                });
        assertThat(dynamo.getItem(get -> get.tableName("uploads").key(Map.of("file_id", s("tx-2")))).item()).isEmpty();
        assertValidation(() -> dynamo.transactWriteItems(write -> write.transactItems(create, create)),
                "Transaction request cannot include multiple operations on one item");
        var got = dynamo.transactGetItems(get -> get.transactItems(
                item -> item.get(g -> g.tableName("uploads").key(Map.of("file_id", s("tx-1")))),
                item -> item.get(g -> g.tableName("uploads").key(Map.of("file_id", s("tx-none"))))));
        assertThat(got.responses().get(0).item()).containsEntry("file_id", s("tx-1"));
        assertThat(got.responses().get(1).item()).isEmpty();
    }

    @Test
    void batchWritesAndGets() {
        dynamo.batchWriteItem(batch -> batch.requestItems(Map.of("uploads", List.of(
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(put -> put.item(
                        Map.of("file_id", s("b-1"), "bin", AttributeValue.fromB(SdkBytes.fromUtf8String("hi"))))).build(),
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(put -> put.item(
                        Map.of("file_id", s("b-2")))).build()))));
        var got = dynamo.batchGetItem(batch -> batch.requestItems(Map.of("uploads",
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                        .keys(Map.of("file_id", s("b-1")), Map.of("file_id", s("b-2")), Map.of("file_id", s("b-3"))).build())));
        assertThat(got.responses().get("uploads")).hasSize(2);
        assertThat(got.unprocessedKeys()).isEmpty();
        dynamo.deleteItem(delete -> delete.tableName("uploads").key(Map.of("file_id", s("b-2"))));
        assertThat(dynamo.getItem(get -> get.tableName("uploads").key(Map.of("file_id", s("b-2")))).item()).isEmpty();
    }

    @Test
    void expiredItemsAreSweptAfterTheirTimeNeverBefore() {
        dynamo.createTable(create -> create.tableName("ttl").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("id", ScalarAttributeType.S))
                .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH)));
        dynamo.updateTimeToLive(ttl -> ttl.tableName("ttl").timeToLiveSpecification(spec -> spec.attributeName("expires").enabled(true)));
        assertThat(dynamo.describeTimeToLive(ttl -> ttl.tableName("ttl")).timeToLiveDescription().attributeName()).isEqualTo("expires");
        long now = NOW.get();
        dynamo.putItem(put -> put.tableName("ttl").item(Map.of("id", s("soon"), "expires", n(Long.toString(now + 10)))));
        dynamo.putItem(put -> put.tableName("ttl").item(Map.of("id", s("later"), "expires", n(Long.toString(now + 100)))));
        dynamo.putItem(put -> put.tableName("ttl").item(Map.of("id", s("text"), "expires", s("not a number"))));
        engine.sweepExpired();
        assertThat(dynamo.scan(scan -> scan.tableName("ttl")).count()).isEqualTo(3);
        NOW.addAndGet(11);
        engine.sweepExpired();
        assertThat(dynamo.scan(scan -> scan.tableName("ttl")).items()).extracting(item -> item.get("id").s())
                .containsExactlyInAnyOrder("later", "text");
    }

    @Test
    void dataSurvivesARestartAndAKilledProcess(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        EngineOptions options = EngineOptions.builder().dataDir(dir).build();
        Engine first = new Engine(options);
        try (DynamoDbServer firstServer = DynamoDbServer.start(first, "127.0.0.1", 0);
                DynamoDbClient client = client(firstServer.endpoint())) {
            client.createTable(create -> create.tableName("kept").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attribute("id", ScalarAttributeType.S))
                    .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH)));
            client.putItem(put -> put.tableName("kept").item(Map.of("id", s("a"), "v", n("1"))));
        }
        first.close(); // folds the journal into a snapshot
        Engine second = new Engine(options);
        try (DynamoDbServer secondServer = DynamoDbServer.start(second, "127.0.0.1", 0);
                DynamoDbClient client = client(secondServer.endpoint())) {
            assertThat(client.getItem(get -> get.tableName("kept").key(Map.of("id", s("a")))).item()).containsEntry("v", n("1"));
            client.putItem(put -> put.tableName("kept").item(Map.of("id", s("b"))));
        }
        // No close: as if the process was killed; the journal alone has "b".
        Engine third = new Engine(options);
        try (DynamoDbServer thirdServer = DynamoDbServer.start(third, "127.0.0.1", 0);
                DynamoDbClient client = client(thirdServer.endpoint())) {
            assertThat(client.scan(scan -> scan.tableName("kept")).count()).isEqualTo(2);
        }
        third.close();
        assertThat(Files.exists(dir.resolve("snapshot.jsonl"))).isTrue();
    }
}
