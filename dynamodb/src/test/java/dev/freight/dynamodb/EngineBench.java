package dev.freight.dynamodb;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.server.DynamoDbServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Operations per second over HTTP with the AWS SDK (url-connection client), against this engine (no argument: started
 * in this JVM, limits off) or any DynamoDB endpoint given as the first argument. Prints one line per operation:
 * GetItem, conditional PutItem, TransactWriteItems (2 actions), Query (10 items). Not a test: run with
 * {@code java -cp ... dev.freight.dynamodb.EngineBench [endpoint] [seconds] [threads]}.
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = null;
        DynamoDbServer server = null;
        URI endpoint;
        if (args.length > 0 && !args[0].equals("-")) {
            endpoint = URI.create(args[0]);
        } else {
            engine = Engine.inMemory();
            server = DynamoDbServer.start(engine, "127.0.0.1", 0);
            endpoint = server.endpoint();
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String table = "bench" + System.nanoTime();
        try (DynamoDbClient dynamo = EngineHttpTest.client(endpoint)) {
            dynamo.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(definition -> definition.attributeName("pk").attributeType(ScalarAttributeType.S),
                            definition -> definition.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(key -> key.attributeName("pk").keyType(KeyType.HASH),
                            key -> key.attributeName("sk").keyType(KeyType.RANGE)));
            for (int i = 0; i < 1000; i++) {
                String sk = String.format("%04d", i);
                dynamo.putItem(put -> put.tableName(table).item(item("p" + (Integer.parseInt(sk) % 100), sk)));
            }
            AtomicLong sequence = new AtomicLong();
            run("GetItem", seconds, threads, () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("p" + sequence.incrementAndGet() % 100),
                            "sk", AttributeValue.fromS(String.format("%04d", sequence.get() % 1000))))));
            run("PutItem (conditional)", seconds, threads, () -> {
                try {
                    dynamo.putItem(put -> put.tableName(table).item(item("new", "n" + sequence.incrementAndGet()))
                            .conditionExpression("attribute_not_exists(pk)"));
                } catch (ConditionalCheckFailedException lost) {
                    // not expected: every key is new
                }
            });
            run("TransactWriteItems (2 puts)", seconds, threads, () -> {
                long n = sequence.incrementAndGet();
                dynamo.transactWriteItems(write -> write.transactItems(
                        TransactWriteItem.builder().put(put -> put.tableName(table).item(item("tx", "a" + n))
                                .conditionExpression("attribute_not_exists(pk)")).build(),
                        TransactWriteItem.builder().update(update -> update.tableName(table)
                                .key(Map.of("pk", AttributeValue.fromS("counter"), "sk", AttributeValue.fromS("c" + n % 50)))
                                .updateExpression("ADD hits :one")
                                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build()));
            });
            run("Query (10 items)", seconds, threads, () -> dynamo.query(query -> query.tableName(table)
                    .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p",
                            AttributeValue.fromS("p" + sequence.incrementAndGet() % 100)))));
        } finally {
            if (server != null) {
                server.close();
                engine.close();
            }
        }
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk),
                "owner", AttributeValue.fromS("bench-owner"), "size", AttributeValue.fromN("1048576"),
                "status", AttributeValue.fromS("uploading"));
    }

    private static void run(String name, int seconds, int threads, Runnable call) throws Exception {
        for (int i = 0; i < 300; i++) {
            call.run(); // warm-up
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<Long>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            counts.add(pool.submit(() -> {
                long done = 0;
                while (System.nanoTime() < end) {
                    call.run();
                    done++;
                }
                return done;
            }));
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        pool.shutdown();
        System.out.printf("%-30s %10.0f ops/s (%d threads, %d s)%n", name, total / (double) seconds, threads, seconds);
    }
}
