package dev.freight.dynamodb.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.dynamodb.expression.Ast;
import dev.freight.dynamodb.expression.Evaluator;
import dev.freight.dynamodb.expression.Expressions;
import dev.freight.dynamodb.expression.Parser;
import dev.freight.dynamodb.expression.Updater;
import dev.freight.dynamodb.limits.CapacityUnits;
import dev.freight.dynamodb.limits.Charge;
import dev.freight.dynamodb.storage.Journal;

/**
 * A DynamoDB-compatible engine: tables, items, indexes and TTL held in memory (and journaled to a data directory when
 * one is given), answering DynamoDB's operations as JSON request and response bodies. One lock orders every write,
 * so conditions, transactions and indexes are always consistent; reads share it.
 */
public final class Engine implements AutoCloseable {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** AWS: table names are 3-255 characters of a-z, A-Z, 0-9, '_', '-', '.' (Naming rules). */
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    /** The pre-expression parameters (AWS docs, "Legacy conditional parameters"), which this engine does not take. */
    private static final List<String> LEGACY_PARAMETERS = List.of("KeyConditions", "QueryFilter", "ScanFilter",
            "Expected", "AttributeUpdates", "AttributesToGet", "ConditionalOperator");

    final EngineOptions options;
    final Map<String, Table> tables = new TreeMap<>();
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Journal journal;
    private final ScheduledExecutorService sweeper;
    private final ItemOperations itemOperations;
    private final Reads reads;
    private final Transactions transactions;

    public Engine(EngineOptions options) {
        this.options = options;
        this.journal = options.dataDir() == null ? null : new Journal(options.dataDir());
        if (journal != null) {
            journal.replay(this::replay);
        }
        this.itemOperations = new ItemOperations(this);
        this.reads = new Reads(this);
        this.transactions = new Transactions(this, itemOperations);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dynamodb-ttl-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, options.ttlSweepInterval().toMillis());
        sweeper.scheduleWithFixedDelay(this::sweepExpired, interval, interval, TimeUnit.MILLISECONDS);
    }

    public static Engine inMemory() {
        return new Engine(EngineOptions.builder().build());
    }

    /** Runs one operation (its name as in X-Amz-Target after the dot) on a request body; answers the response body. */
    public ObjectNode handle(String operation, JsonNode request) {
        for (String legacy : LEGACY_PARAMETERS) {
            if (request.has(legacy)) {
                // Answered rather than ignored: a silently ignored condition or update would look like success.
                throw DynamoException.validation("The legacy parameter " + legacy + " is not supported by this "
                        + "engine; use the expression parameters instead");
            }
        }
        return switch (operation) {
            case "CreateTable" -> createTable(request);
            case "DescribeTable" -> describeTable(request);
            case "UpdateTable" -> updateTable(request);
            case "DeleteTable" -> deleteTable(request);
            case "ListTables" -> listTables(request);
            case "UpdateTimeToLive" -> updateTimeToLive(request);
            case "DescribeTimeToLive" -> describeTimeToLive(request);
            case "GetItem" -> reads.getItem(request);
            case "PutItem" -> itemOperations.putItem(request);
            case "UpdateItem" -> itemOperations.updateItem(request);
            case "DeleteItem" -> itemOperations.deleteItem(request);
            case "Query" -> reads.query(request);
            case "Scan" -> reads.scan(request);
            case "BatchGetItem" -> reads.batchGetItem(request);
            case "BatchWriteItem" -> itemOperations.batchWriteItem(request);
            case "TransactWriteItems" -> transactions.write(request);
            case "TransactGetItems" -> transactions.get(request);
            case "DescribeEndpoints" -> describeEndpoints();
            default -> throw new DynamoException("UnknownOperationException", null, 400);
        };
    }

    // ------------------------------------------------------------------ tables

    Table table(String name) {
        Table table = tables.get(name);
        if (table == null) {
            // DynamoDB's text for a missing table in item operations: "Requested resource not found".
            throw DynamoException.notFound("Requested resource not found");
        }
        return table;
    }

    private ObjectNode createTable(JsonNode request) {
        String name = Requests.tableName(request);
        if (name.length() < 3 || name.length() > 255) {
            // DynamoDB's (and dynalite's) words for a bad length alone (differential suite).
            throw DynamoException.validation("TableName must be at least 3 characters long and at most 255 characters long");
        }
        if (!TABLE_NAME.matcher(name).matches()) {
            throw DynamoException.validation(name.length() < 3 || name.length() > 255
                    ? "TableName must be at least 3 characters long and at most 255 characters long"
                    : "1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy constraint: "
                            + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        Map<String, Value.Type> types = attributeTypes(request.get("AttributeDefinitions"));
        KeySchema key = KeySchema.parse(request.get("KeySchema"), types, "");
        List<IndexDef> indexes = new ArrayList<>();
        request.path("GlobalSecondaryIndexes").forEach(index -> indexes.add(IndexDef.parse(index, types, true)));
        request.path("LocalSecondaryIndexes").forEach(index -> {
            IndexDef local = IndexDef.parse(index, types, false);
            if (!local.key().hash().equals(key.hash()) || !local.key().hasRange()) {
                throw DynamoException.validation("One or more parameter values were invalid: Index KeySchema does not "
                        + "have the same leading hash key as table KeySchema for index: " + local.name());
            }
            indexes.add(local);
        });
        checkDefinitionsUsed(types, key, indexes);
        String billing = Requests.text(request, "BillingMode") == null ? "PROVISIONED" : Requests.text(request, "BillingMode");
        JsonNode throughput = request.get("ProvisionedThroughput");
        if (billing.equals("PROVISIONED") && (throughput == null || throughput.isNull())) {
            // Quoted from DynamoDB: "One or more parameter values were invalid: ReadCapacityUnits and
            // WriteCapacityUnits must both be specified when BillingMode is PROVISIONED" (getmoto/moto#3353).
            throw DynamoException.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                    + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        if (billing.equals("PAY_PER_REQUEST") && throughput != null && !throughput.isNull()) {
            throw DynamoException.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                    + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        lock.writeLock().lock();
        try {
            if (tables.containsKey(name)) {
                // AWS's text: "Table already exists: <name>" (ResourceInUseException, quoted in moto#1357).
                throw DynamoException.inUse("Table already exists: " + name);
            }
            Table table = new Table(name, key, types, indexes, System.currentTimeMillis() / 1000.0, billing,
                    throughput == null ? 0 : throughput.path("ReadCapacityUnits").asLong(),
                    throughput == null ? 0 : throughput.path("WriteCapacityUnits").asLong());
            tables.put(name, table);
            announceCapacity(table);
            record(List.of(JSON.objectNode().put("op", "create").set("def", table.definition())));
            ObjectNode response = JSON.objectNode();
            response.set("TableDescription", table.describe("CREATING"));
            return response;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Map<String, Value.Type> attributeTypes(JsonNode definitions) {
        Map<String, Value.Type> types = new LinkedHashMap<>();
        if (definitions != null) {
            for (JsonNode definition : definitions) {
                String type = definition.path("AttributeType").asText();
                if (!Set.of("S", "N", "B").contains(type)) {
                    throw DynamoException.validation("1 validation error detected: Value '" + type + "' at "
                            + "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must "
                            + "satisfy enum value set: [B, N, S]");
                }
                types.put(definition.path("AttributeName").asText(), Value.Type.valueOf(type));
            }
        }
        return types;
    }

    /**
     * AWS refuses attribute definitions no key uses: "One or more parameter values were invalid: Number of
     * attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"
     * (quoted in getmoto/moto#2190).
     */
    private static void checkDefinitionsUsed(Map<String, Value.Type> types, KeySchema key, List<IndexDef> indexes) {
        Set<String> used = new java.util.HashSet<>(key.names());
        indexes.forEach(index -> used.addAll(index.key().names()));
        if (!used.equals(types.keySet())) {
            throw DynamoException.validation("One or more parameter values were invalid: Number of attributes in "
                    + "KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }

    private ObjectNode describeTable(JsonNode request) {
        String name = Requests.tableName(request);
        lock.readLock().lock();
        try {
            Table table = tables.get(name);
            if (table == null) {
                // AWS's text for DescribeTable: "Requested resource not found: Table: <name> not found".
                throw DynamoException.notFound("Requested resource not found: Table: " + name + " not found");
            }
            ObjectNode response = JSON.objectNode();
            response.set("Table", table.describe("ACTIVE"));
            return response;
        } finally {
            lock.readLock().unlock();
        }
    }

    private ObjectNode updateTable(JsonNode request) {
        String name = Requests.tableName(request);
        lock.writeLock().lock();
        try {
            Table table = table(name);
            Map<String, Value.Type> types = new LinkedHashMap<>(table.attributeTypes);
            types.putAll(attributeTypes(request.get("AttributeDefinitions")));
            if (request.hasNonNull("BillingMode")) {
                table.billingMode = request.get("BillingMode").asText();
            }
            JsonNode throughput = request.get("ProvisionedThroughput");
            if (throughput != null && !throughput.isNull()) {
                table.readCapacity = throughput.path("ReadCapacityUnits").asLong();
                table.writeCapacity = throughput.path("WriteCapacityUnits").asLong();
            }
            for (JsonNode change : request.path("GlobalSecondaryIndexUpdates")) {
                if (change.has("Create")) {
                    IndexDef index = IndexDef.parse(change.get("Create"), types, true);
                    if (table.index(index.name()) != null) {
                        // Quoted from DynamoDB: "Attempting to create an index which already exists".
                        throw DynamoException.validation("One or more parameter values were invalid: Attempting to "
                                + "create an index which already exists");
                    }
                    for (String attribute : index.key().names()) {
                        table.attributeTypes.put(attribute, types.get(attribute));
                    }
                    table.addIndex(index);
                } else if (change.has("Delete")) {
                    String indexName = change.get("Delete").path("IndexName").asText();
                    if (table.index(indexName) == null) {
                        throw DynamoException.notFound("Requested resource not found: Index: " + indexName
                                + " not found");
                    }
                    table.dropIndex(indexName);
                }
            }
            announceCapacity(table);
            record(List.of(JSON.objectNode().put("op", "alter").set("def", table.definition())));
            ObjectNode response = JSON.objectNode();
            response.set("TableDescription", table.describe("UPDATING"));
            return response;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Tells the throughput gate the table's capacity mode (a provisioned table's GSIs stay on the on-demand quota). */
    private void announceCapacity(Table table) {
        boolean provisioned = "PROVISIONED".equals(table.billingMode);
        options.throughputGate().capacity(table.name, null, provisioned ? (double) table.readCapacity : null,
                provisioned ? (double) table.writeCapacity : null);
    }

    private ObjectNode deleteTable(JsonNode request) {
        String name = Requests.tableName(request);
        lock.writeLock().lock();
        try {
            Table table = tables.get(name);
            if (table == null) {
                throw DynamoException.notFound("Requested resource not found: Table: " + name + " not found");
            }
            tables.remove(name);
            options.throughputGate().forget(name);
            record(List.of(JSON.objectNode().put("op", "drop").put("t", name)));
            ObjectNode response = JSON.objectNode();
            response.set("TableDescription", table.describe("DELETING"));
            return response;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ObjectNode listTables(JsonNode request) {
        int limit = request.path("Limit").asInt(100);
        if (limit < 1 || limit > 100) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to "
                    + "satisfy constraint: Member must have value less than or equal to 100");
        }
        String after = Requests.text(request, "ExclusiveStartTableName");
        lock.readLock().lock();
        try {
            ObjectNode response = JSON.objectNode();
            ArrayNode names = response.putArray("TableNames");
            List<String> remaining = new ArrayList<>(after == null ? tables.keySet()
                    : ((TreeMap<String, Table>) tables).tailMap(after, false).keySet());
            for (int i = 0; i < remaining.size() && i < limit; i++) {
                names.add(remaining.get(i));
            }
            if (remaining.size() > limit) {
                response.put("LastEvaluatedTableName", remaining.get(limit - 1));
            }
            return response;
        } finally {
            lock.readLock().unlock();
        }
    }

    private ObjectNode updateTimeToLive(JsonNode request) {
        String name = Requests.tableName(request);
        JsonNode specification = request.path("TimeToLiveSpecification");
        String attribute = specification.path("AttributeName").asText();
        boolean enabled = specification.path("Enabled").asBoolean();
        lock.writeLock().lock();
        try {
            Table table = table(name);
            if (enabled && table.ttlAttribute != null) {
                // AWS's text: "TimeToLive is already enabled" (ValidationException, quoted in moto#3346).
                throw DynamoException.validation("TimeToLive is already enabled");
            }
            if (!enabled && table.ttlAttribute == null) {
                throw DynamoException.validation("TimeToLive is already disabled");
            }
            table.ttlAttribute = enabled ? attribute : null;
            record(List.of(JSON.objectNode().put("op", "alter").set("def", table.definition())));
            ObjectNode response = JSON.objectNode();
            response.putObject("TimeToLiveSpecification").put("AttributeName", attribute).put("Enabled", enabled);
            return response;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ObjectNode describeTimeToLive(JsonNode request) {
        String name = Requests.tableName(request);
        lock.readLock().lock();
        try {
            Table table = table(name);
            ObjectNode response = JSON.objectNode();
            ObjectNode description = response.putObject("TimeToLiveDescription");
            if (table.ttlAttribute == null) {
                description.put("TimeToLiveStatus", "DISABLED");
            } else {
                description.put("TimeToLiveStatus", "ENABLED").put("AttributeName", table.ttlAttribute);
            }
            return response;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static ObjectNode describeEndpoints() {
        ObjectNode response = JSON.objectNode();
        response.putArray("Endpoints").addObject().put("Address", "localhost").put("CachePeriodInMinutes", 1440);
        return response;
    }

    // ------------------------------------------------------------------ TTL

    /**
     * Deletes items whose TTL attribute (a Number of epoch seconds) is in the past. AWS deletes them "within a few
     * days" of expiry and never before it (Time to Live docs); this sweep runs every {@code ttlSweepInterval}.
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
     */
    public int sweepExpired() {
        long now = options.epochSeconds().getAsLong();
        int deleted = 0;
        lock.writeLock().lock();
        try {
            for (Table table : tables.values()) {
                if (table.ttlAttribute == null) {
                    continue;
                }
                List<Map<String, Value>> expired = new ArrayList<>();
                table.items.byHash.values().forEach(partition -> partition.values().forEach(item -> {
                    Value expiry = item.get(table.ttlAttribute);
                    if (expiry != null && expiry.type() == Value.Type.N && expiry.n().longValue() < now) {
                        expired.add(item);
                    }
                }));
                List<ObjectNode> entries = new ArrayList<>();
                for (Map<String, Value> item : expired) {
                    Map<String, Value> key = Validation.keyOf(table, item);
                    table.delete(key);
                    entries.add(deletion(table.name, key));
                    deleted++;
                }
                record(entries);
            }
        } catch (RuntimeException failure) {
            // A sweep must never kill the scheduler; the next one retries.
            return deleted;
        } finally {
            lock.writeLock().unlock();
        }
        return deleted;
    }

    // ------------------------------------------------------------------ journal

    static ObjectNode putting(String table, Map<String, Value> item) {
        ObjectNode entry = JSON.objectNode().put("op", "put").put("t", table);
        entry.set("item", Value.mapToJson(item));
        return entry;
    }

    static ObjectNode deletion(String table, Map<String, Value> key) {
        ObjectNode entry = JSON.objectNode().put("op", "del").put("t", table);
        entry.set("key", Value.mapToJson(key));
        return entry;
    }

    /** Writes applied mutations to the journal (caller holds the write lock); folds it into a snapshot when long. */
    void record(List<ObjectNode> entries) {
        if (journal == null || entries.isEmpty()) {
            return;
        }
        journal.append(entries);
        if (journal.entries() >= options.snapshotEvery()) {
            journal.compact(snapshot());
        }
    }

    private List<ObjectNode> snapshot() {
        List<ObjectNode> state = new ArrayList<>();
        for (Table table : tables.values()) {
            state.add(JSON.objectNode().put("op", "create").set("def", table.definition()));
            table.items.byHash.values().forEach(partition -> partition.values()
                    .forEach(item -> state.add(putting(table.name, item))));
        }
        return state;
    }

    private void replay(JsonNode entry) {
        String op = entry.path("op").asText();
        switch (op) {
            case "create" -> {
                Table table = Table.fromDefinition(entry.get("def"));
                tables.put(table.name, table);
                announceCapacity(table);
            }
            case "alter" -> {
                Table altered = Table.fromDefinition(entry.get("def"));
                Table existing = tables.get(altered.name);
                if (existing != null) {
                    existing.items.byHash.values().forEach(partition -> partition.values().forEach(altered::put));
                }
                tables.put(altered.name, altered);
                announceCapacity(altered);
            }
            case "drop" -> tables.remove(entry.path("t").asText());
            case "put" -> {
                Table table = tables.get(entry.path("t").asText());
                if (table != null) {
                    table.put(Value.itemFromJson(entry.get("item")));
                }
            }
            case "del" -> {
                Table table = tables.get(entry.path("t").asText());
                if (table != null) {
                    table.delete(Value.itemFromJson(entry.get("key")));
                }
            }
            default -> {
                // An entry of a newer version: skip it rather than refuse to start.
            }
        }
    }

    // ------------------------------------------------------------------ shared helpers

    /** Parses the ProjectionExpression of a request, if any. */
    static List<Ast.Path> projection(JsonNode request, Expressions expressions) {
        String projection = Requests.text(request, "ProjectionExpression");
        return projection == null ? null : Parser.projection(projection, expressions);
    }

    static Map<String, Value> project(Map<String, Value> item, List<Ast.Path> projection) {
        return projection == null ? item : Updater.project(item, projection);
    }

    static String canonicalKey(Table table, Map<String, Value> key) {
        StringBuilder text = new StringBuilder(key.get(table.key.hash()).canonical());
        if (table.key.hasRange()) {
            text.append('|').append(key.get(table.key.range()).canonical());
        }
        return table.name + "|" + text;
    }

    /** The write charges of changing one item from {@code before} to {@code after} (either may be null). */
    static List<Charge> writeCharges(Table table, Map<String, Value> before, Map<String, Value> after,
            boolean transactional) {
        List<Charge> charges = new ArrayList<>();
        Map<String, Value> any = after != null ? after : before;
        long beforeSize = before == null ? 0 : Items.size(before);
        long afterSize = after == null ? 0 : Items.size(after);
        double units = CapacityUnits.write(Math.max(beforeSize, afterSize));
        charges.add(Charge.write(table.name, null, any.get(table.key.hash()).canonical(),
                transactional ? CapacityUnits.transactional(units) : units));
        for (IndexDef index : table.indexes) {
            if (!index.global()) {
                continue;
            }
            boolean wasIn = before != null && index.covers(before);
            boolean isIn = after != null && index.covers(after);
            if (!wasIn && !isIn) {
                continue;
            }
            long projectedBefore = wasIn ? Items.size(index.project(before, table.key)) : -1;
            long projectedAfter = isIn ? Items.size(index.project(after, table.key)) : -1;
            boolean keyChanged = wasIn && isIn && !Validation.indexKeyOf(table, index, before)
                    .equals(Validation.indexKeyOf(table, index, after));
            double indexUnits = CapacityUnits.indexWrite(projectedBefore, projectedAfter, keyChanged);
            Map<String, Value> indexed = isIn ? after : before;
            charges.add(Charge.write(table.name, index.name(), indexed.get(index.key().hash()).canonical(),
                    transactional ? CapacityUnits.transactional(indexUnits) : indexUnits));
        }
        return charges;
    }

    static Map<String, Value> newHashMap() {
        return new HashMap<>();
    }

    static void checkCondition(Evaluator evaluator, Ast.Condition condition, Map<String, Value> before,
            String returnOnFailure) {
        if (condition != null && !evaluator.test(condition, before)) {
            DynamoException failed = DynamoException.conditionFailed();
            if ("ALL_OLD".equals(returnOnFailure) && before != null) {
                failed.extra().set("Item", Value.mapToJson(before));
            }
            throw failed;
        }
    }

    /**
     * Runs {@code work} while the items are held against other transactions ({@link EngineOptions#itemHolds()}) and
     * under {@code lock}: holds first, so a conflict is answered without waiting for the lock.
     */
    <T> T holding(List<String> itemKeys, boolean transaction, java.util.concurrent.locks.Lock lock,
            java.util.function.Supplier<T> work) {
        try (AutoCloseable hold = options.itemHolds().hold(itemKeys, transaction)) {
            lock.lock();
            try {
                return work.get();
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException failure) {
            throw failure;
        } catch (Exception releasing) {
            throw new IllegalStateException(releasing);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        lock.writeLock().lock();
        try {
            if (journal != null) {
                journal.compact(snapshot());
                journal.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
