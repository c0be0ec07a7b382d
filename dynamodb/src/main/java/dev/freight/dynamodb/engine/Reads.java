package dev.freight.dynamodb.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.dynamodb.expression.Ast;
import dev.freight.dynamodb.expression.Evaluator;
import dev.freight.dynamodb.expression.Expressions;
import dev.freight.dynamodb.expression.Parser;
import dev.freight.dynamodb.limits.CapacityUnits;
import dev.freight.dynamodb.limits.Charge;

/** GetItem, BatchGetItem, Query and Scan. */
final class Reads {

    /** AWS: "A single Query operation can retrieve a maximum of 1 MB of data" (and Scan the same). */
    static final long PAGE_BYTES = 1024 * 1024;
    /** AWS: "A single BatchGetItem operation can retrieve up to 16 MB of data, ... as many as 100 items". */
    static final int MAX_BATCH_GET = 100;

    private final Engine engine;

    Reads(Engine engine) {
        this.engine = engine;
    }

    ObjectNode getItem(JsonNode request) {
        String name = Requests.tableName(request);
        Expressions expressions = Requests.expressions(request);
        List<Ast.Path> projection = Engine.projection(request, expressions);
        expressions.requireAllUsed();
        boolean consistent = request.path("ConsistentRead").asBoolean(false);
        engine.lock.readLock().lock();
        try {
            Table table = engine.table(name);
            Map<String, Value> key = Validation.key(table, request.get("Key"));
            Map<String, Value> item = table.get(key);
            engine.options.throughputGate().charge(List.of(Charge.read(table.name, null,
                    key.get(table.key.hash()).canonical(),
                    CapacityUnits.read(item == null ? 0 : Items.size(item), consistent))));
            ObjectNode response = Engine.JSON.objectNode();
            if (item != null) {
                response.set("Item", Value.mapToJson(Engine.project(item, projection)));
            }
            consumed(request, response, table.name, CapacityUnits.read(item == null ? 0 : Items.size(item), consistent));
            return response;
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    private static void consumed(JsonNode request, ObjectNode response, String table, double units) {
        String wanted = Requests.text(request, "ReturnConsumedCapacity");
        if (wanted != null && !wanted.equals("NONE")) {
            response.putObject("ConsumedCapacity").put("TableName", table).put("CapacityUnits", units);
        }
    }

    /** One key a BatchGetItem asks for: its table, the key as asked, the item (null when none), how it is read. */
    private record BatchKey(String requestName, Table table, JsonNode keyNode, Map<String, Value> key, Map<String, Value> item,
                            boolean consistent, List<Ast.Path> projection) {
    }

    /**
     * BatchGetItem, charged like one GetItem per key. AWS: "DynamoDB processes each item in the batch as an individual
     * GetItem request, so DynamoDB first rounds up the size of each item to the next 4 KB boundary, and then
     * calculates the total size" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
     * A key whose charge is throttled is answered in UnprocessedKeys, and only when every key is throttled does the
     * call fail: "If none of the items can be processed due to insufficient provisioned throughput on all of the
     * tables in the request, then BatchGetItem returns a ProvisionedThroughputExceededException. If at least one of
     * the items is successfully processed, then BatchGetItem completes successfully, while returning the keys of the
     * unread items in UnprocessedKeys" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
     */
    ObjectNode batchGetItem(JsonNode request) {
        ObjectNode response = Engine.JSON.objectNode();
        ObjectNode responses = response.putObject("Responses");
        ObjectNode unprocessed = response.putObject("UnprocessedKeys");
        Map<String, Double> consumedByTable = new java.util.LinkedHashMap<>();
        engine.lock.readLock().lock();
        try {
            List<BatchKey> asked = new ArrayList<>();
            request.path("RequestItems").fields().forEachRemaining(entry -> {
                Table table = engine.table(entry.getKey());
                JsonNode spec = entry.getValue();
                Expressions expressions = Requests.expressions(spec);
                List<Ast.Path> projection = Engine.projection(spec, expressions);
                expressions.requireAllUsed();
                boolean consistent = spec.path("ConsistentRead").asBoolean(false);
                responses.putArray(entry.getKey());
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (JsonNode keyNode : spec.path("Keys")) {
                    Map<String, Value> key = Validation.key(table, keyNode);
                    if (!seen.add(Engine.canonicalKey(table, key))) {
                        throw DynamoException.validation("Provided list of item keys contains duplicates");
                    }
                    asked.add(new BatchKey(entry.getKey(), table, keyNode, key, table.get(key), consistent, projection));
                }
            });
            if (asked.isEmpty() || asked.size() > MAX_BATCH_GET) {
                // AWS's text: "Too many items requested for the BatchGetItem call" (ValidationException).
                throw DynamoException.validation(asked.isEmpty()
                        ? "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"
                        : "Too many items requested for the BatchGetItem call");
            }
            dev.freight.dynamodb.limits.ThrottledException firstThrottled = null;
            int processed = 0;
            for (BatchKey one : asked) {
                double units = CapacityUnits.read(one.item() == null ? 0 : Items.size(one.item()), one.consistent());
                try {
                    engine.options.throughputGate().charge(List.of(Charge.read(one.table().name, null,
                            one.key().get(one.table().key.hash()).canonical(), units)));
                } catch (dev.freight.dynamodb.limits.ThrottledException throttled) {
                    firstThrottled = firstThrottled == null ? throttled : firstThrottled;
                    ObjectNode left = (ObjectNode) unprocessed.get(one.requestName());
                    if (left == null) {
                        // The table's own request (projection, consistency) with only the keys left unread.
                        left = ((ObjectNode) request.path("RequestItems").path(one.requestName())).deepCopy();
                        left.putArray("Keys");
                    }
                    ((ArrayNode) left.get("Keys")).add(one.keyNode());
                    unprocessed.set(one.requestName(), left);
                    continue;
                }
                processed++;
                consumedByTable.merge(one.table().name, units, Double::sum);
                if (one.item() != null) {
                    ((ArrayNode) responses.get(one.requestName())).add(
                            Value.mapToJson(Engine.project(one.item(), one.projection())));
                }
            }
            if (processed == 0 && firstThrottled != null) {
                throw firstThrottled;
            }
        } finally {
            engine.lock.readLock().unlock();
        }
        String wanted = Requests.text(request, "ReturnConsumedCapacity");
        if (wanted != null && !wanted.equals("NONE")) {
            ArrayNode consumed = response.putArray("ConsumedCapacity");
            consumedByTable.forEach((table, units) -> consumed.addObject().put("TableName", table)
                    .put("CapacityUnits", units));
        }
        return response;
    }

    // ------------------------------------------------------------------ Query and Scan

    /** How a key condition limits the sort key. */
    private record RangeCondition(String operator, Value low, Value high) {
        /** -1: before the range (in ascending order), 0: inside, 1: after. */
        int position(Value range) {
            switch (operator) {
                case "=":
                    return Integer.signum(range.compareTo(low));
                case "<":
                    return range.compareTo(low) < 0 ? 0 : 1;
                case "<=":
                    return range.compareTo(low) <= 0 ? 0 : 1;
                case ">":
                    return range.compareTo(low) > 0 ? 0 : -1;
                case ">=":
                    return range.compareTo(low) >= 0 ? 0 : -1;
                case "BETWEEN":
                    return range.compareTo(low) < 0 ? -1 : range.compareTo(high) > 0 ? 1 : 0;
                default: { // begins_with
                    if (range.type() == Value.Type.S) {
                        if (range.s().startsWith(low.s())) {
                            return 0;
                        }
                    } else if (range.type() == Value.Type.B) {
                        byte[] bytes = range.b();
                        byte[] prefix = low.b();
                        if (bytes.length >= prefix.length
                                && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length)) {
                            return 0;
                        }
                    }
                    return range.compareTo(low) < 0 ? -1 : 1;
                }
            }
        }
    }

    ObjectNode query(JsonNode request) {
        String name = Requests.tableName(request);
        String keyCondition = Requests.text(request, "KeyConditionExpression");
        if (keyCondition == null) {
            // AWS: "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
            throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be "
                    + "specified in the request.");
        }
        Expressions expressions = Requests.expressions(request);
        Ast.Condition keyAst = Parser.condition(keyCondition, "KeyConditionExpression", expressions);
        Ast.Condition filter = filter(request, expressions);
        List<Ast.Path> projection = Engine.projection(request, expressions);
        expressions.requireAllUsed();
        engine.lock.readLock().lock();
        try {
            Table table = engine.table(name);
            IndexDef index = index(table, request);
            KeySchema key = index == null ? table.key : index.key();
            Evaluator evaluator = new Evaluator(expressions);
            List<Ast.Condition> parts = new ArrayList<>();
            flattenAnd(keyAst, parts);
            Value hash = null;
            RangeCondition range = null;
            for (Ast.Condition part : parts) {
                String attribute = keyAttribute(part);
                if (attribute == null) {
                    throw DynamoException.validation("Query key condition not supported");
                }
                if (attribute.equals(key.hash()) && part instanceof Ast.Comparison comparison
                        && comparison.operator().equals("=") && hash == null) {
                    hash = evaluator.value(comparison.right(), null);
                    checkType(hash, key.hashType());
                } else if (attribute.equals(key.range()) && range == null) {
                    range = rangeCondition(part, evaluator, key.rangeType());
                } else if (!attribute.equals(key.hash()) && !attribute.equals(key.range())) {
                    // DynamoDB names the key element the non-key condition stands in for: "Query condition missed
                    // key schema element: sk" (the partition key's name when that is the one missing).
                    boolean hashMissing = parts.stream().map(Reads::keyAttribute).noneMatch(key.hash()::equals);
                    throw DynamoException.validation("Query condition missed key schema element: "
                            + (hashMissing || !key.hasRange() ? key.hash() : key.range()));
                } else {
                    throw DynamoException.validation("Query key condition not supported");
                }
            }
            if (hash == null) {
                throw DynamoException.validation("Query condition missed key schema element: " + key.hash());
            }
            if (filter != null) {
                java.util.Set<String> filtered = new java.util.HashSet<>();
                attributes(filter, filtered);
                for (String keyName : key.names()) {
                    if (filtered.contains(keyName)) {
                        // Quoted from DynamoDB: "Filter Expression can only contain non-primary key attributes:
                        // Primary key attribute: sk" (getmoto/moto#4046).
                        throw DynamoException.validation("Filter Expression can only contain non-primary key "
                                + "attributes: Primary key attribute: " + keyName);
                    }
                }
            }
            Partitions partitions = index == null ? table.items : table.indexItems.get(index.name());
            TreeMap<SortKey, Map<String, Value>> partition = partitions.byHash.get(hash);
            boolean forward = request.path("ScanIndexForward").asBoolean(true);
            NavigableMap<SortKey, Map<String, Value>> view = partition == null ? new TreeMap<>()
                    : forward ? partition : partition.descendingMap();
            JsonNode start = request.get("ExclusiveStartKey");
            if (start != null && !start.isNull()) {
                Map<String, Value> startKey = startKey(table, index, start);
                if (!hash.equals(startKey.get(key.hash()))) {
                    // AWS: "The provided starting key is invalid: The provided key element does not match the schema"
                    throw DynamoException.validation("The provided starting key is invalid: Query result set must "
                            + "include the starting key");
                }
                SortKey position = index == null ? table.sortKey(startKey) : table.indexSortKey(index, startKey);
                view = view.tailMap(position, false);
            } else if (forward && range != null && !range.operator().equals("<") && !range.operator().equals("<=")) {
                view = view.tailMap(new SortKey(range.low(), null, null), true);
            }
            Iterator<Map<String, Value>> candidates = view.values().iterator();
            RangeCondition rangeCondition = range;
            return page(request, table, index, candidates, item -> {
                if (rangeCondition == null) {
                    return 0;
                }
                int position = rangeCondition.position(item.get(key.range()));
                return forward ? position : -position;
            }, evaluator, filter, projection);
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    /** The top-level attribute names a condition reads. */
    private static void attributes(Ast.Condition condition, java.util.Set<String> names) {
        if (condition instanceof Ast.And and) {
            attributes(and.left(), names);
            attributes(and.right(), names);
        } else if (condition instanceof Ast.Or or) {
            attributes(or.left(), names);
            attributes(or.right(), names);
        } else if (condition instanceof Ast.Not not) {
            attributes(not.inner(), names);
        } else if (condition instanceof Ast.Comparison comparison) {
            attributes(comparison.left(), names);
            attributes(comparison.right(), names);
        } else if (condition instanceof Ast.Between between) {
            attributes(between.value(), names);
        } else if (condition instanceof Ast.In in) {
            attributes(in.value(), names);
        } else if (condition instanceof Ast.Function function) {
            function.arguments().forEach(argument -> attributes(argument, names));
        }
    }

    private static void attributes(Ast.Operand operand, java.util.Set<String> names) {
        if (operand instanceof Ast.PathOperand path) {
            names.add(path.path().top());
        } else if (operand instanceof Ast.Size size) {
            names.add(size.path().top());
        }
    }

    private static void checkType(Value value, Value.Type expected) {
        if (value.type() != expected) {
            // Quoted from DynamoDB: "One or more parameter values were invalid: Condition parameter type does not
            // match schema type" (getmoto/moto#1923).
            throw DynamoException.validation("One or more parameter values were invalid: Condition parameter type does "
                    + "not match schema type");
        }
    }

    private static void flattenAnd(Ast.Condition condition, List<Ast.Condition> parts) {
        if (condition instanceof Ast.Or || condition instanceof Ast.Not) {
            // DynamoDB's text: "Invalid operator used in KeyConditionExpression: OR" (and the same for NOT).
            throw DynamoException.validation("Invalid operator used in KeyConditionExpression: "
                    + (condition instanceof Ast.Or ? "OR" : "NOT"));
        }
        if (condition instanceof Ast.And and) {
            flattenAnd(and.left(), parts);
            flattenAnd(and.right(), parts);
        } else {
            parts.add(condition);
        }
        if (parts.size() > 2) {
            // AWS: "Conditions can be of length 1 or 2 only".
            throw DynamoException.validation("Conditions can be of length 1 or 2 only");
        }
    }

    /** The key attribute a key-condition part is about, or null when it has no form DynamoDB allows. */
    private static String keyAttribute(Ast.Condition part) {
        Ast.Operand subject = null;
        if (part instanceof Ast.Comparison comparison && !comparison.operator().equals("<>")
                && comparison.right() instanceof Ast.ValueOperand) {
            subject = comparison.left();
        } else if (part instanceof Ast.Between between && between.low() instanceof Ast.ValueOperand
                && between.high() instanceof Ast.ValueOperand) {
            subject = between.value();
        } else if (part instanceof Ast.Function function && function.name().equals("begins_with")
                && function.arguments().get(1) instanceof Ast.ValueOperand) {
            subject = function.arguments().get(0);
        }
        if (subject instanceof Ast.PathOperand path && path.path().parts().size() == 1) {
            return path.path().top();
        }
        return null;
    }

    private static RangeCondition rangeCondition(Ast.Condition part, Evaluator evaluator, Value.Type type) {
        if (part instanceof Ast.Comparison comparison) {
            Value value = evaluator.value(comparison.right(), null);
            checkType(value, type);
            return new RangeCondition(comparison.operator(), value, null);
        }
        if (part instanceof Ast.Between between) {
            Value low = evaluator.value(between.low(), null);
            Value high = evaluator.value(between.high(), null);
            checkType(low, type);
            checkType(high, type);
            if (low.compareTo(high) > 0) {
                throw DynamoException.validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper "
                        + "bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                        + low.toMessageText() + ", upper bound operand: AttributeValue: " + high.toMessageText());
            }
            return new RangeCondition("BETWEEN", low, high);
        }
        Ast.Function function = (Ast.Function) part;
        Value prefix = evaluator.value(function.arguments().get(1), null);
        if (type == Value.Type.N) {
            // AWS: begins_with is for strings and binaries; on a number sort key: "Invalid KeyConditionExpression:
            // Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
            throw DynamoException.validation("Invalid KeyConditionExpression: Incorrect operand type for operator or "
                    + "function; operator or function: begins_with, operand type: N");
        }
        checkType(prefix, type);
        return new RangeCondition("begins_with", prefix, null);
    }

    ObjectNode scan(JsonNode request) {
        String name = Requests.tableName(request);
        Expressions expressions = Requests.expressions(request);
        Ast.Condition filter = filter(request, expressions);
        List<Ast.Path> projection = Engine.projection(request, expressions);
        expressions.requireAllUsed();
        JsonNode segmentNode = request.get("Segment");
        JsonNode totalNode = request.get("TotalSegments");
        if ((segmentNode == null) != (totalNode == null)) {
            // AWS: "The TotalSegments parameter is required but was not present in the request when Segment
            // parameter is present".
            throw DynamoException.validation(segmentNode == null
                    ? "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
                    : "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        int total = totalNode == null ? 1 : totalNode.asInt();
        int segment = segmentNode == null ? 0 : segmentNode.asInt();
        if (total < 1 || total > 1_000_000 || segment < 0 || segment >= total) {
            throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + segment + " is out of bounds for TotalSegments: " + total);
        }
        engine.lock.readLock().lock();
        try {
            Table table = engine.table(name);
            IndexDef index = index(table, request);
            Partitions partitions = index == null ? table.items : table.indexItems.get(index.name());
            KeySchema key = index == null ? table.key : index.key();
            NavigableMap<Value, TreeMap<SortKey, Map<String, Value>>> hashes = partitions.byHash;
            JsonNode start = request.get("ExclusiveStartKey");
            SortKey after = null;
            Value startHash = null;
            if (start != null && !start.isNull()) {
                Map<String, Value> startKey = startKey(table, index, start);
                startHash = startKey.get(key.hash());
                after = index == null ? table.sortKey(startKey) : table.indexSortKey(index, startKey);
                hashes = hashes.tailMap(startHash, true);
            }
            List<Iterator<Map<String, Value>>> sources = new ArrayList<>();
            for (Map.Entry<Value, TreeMap<SortKey, Map<String, Value>>> partition : hashes.entrySet()) {
                if (total > 1 && Math.floorMod(partition.getKey().canonical().hashCode(), total) != segment) {
                    continue;
                }
                NavigableMap<SortKey, Map<String, Value>> items = partition.getValue();
                if (after != null && partition.getKey().equals(startHash)) {
                    items = items.tailMap(after, false);
                }
                sources.add(items.values().iterator());
            }
            Iterator<Map<String, Value>> candidates = sources.stream().flatMap(iterator -> {
                Iterable<Map<String, Value>> iterable = () -> iterator;
                return java.util.stream.StreamSupport.stream(iterable.spliterator(), false);
            }).iterator();
            return page(request, table, index, candidates, item -> 0, new Evaluator(expressions), filter, projection);
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    private static Ast.Condition filter(JsonNode request, Expressions expressions) {
        String filter = Requests.text(request, "FilterExpression");
        return filter == null ? null : Parser.condition(filter, "FilterExpression", expressions);
    }

    private IndexDef index(Table table, JsonNode request) {
        String indexName = Requests.text(request, "IndexName");
        if (indexName == null) {
            return null;
        }
        IndexDef index = table.index(indexName);
        if (index == null) {
            // Quoted from DynamoDB: "The table does not have the specified index: owner-index" (moto#1879).
            throw DynamoException.validation("The table does not have the specified index: " + indexName);
        }
        if (index.global() && request.path("ConsistentRead").asBoolean(false)) {
            // AWS's text: "Consistent reads are not supported on global secondary indexes" (ValidationException).
            throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
        }
        return index;
    }

    private static Map<String, Value> startKey(Table table, IndexDef index, JsonNode start) {
        Map<String, Value> startKey = Value.itemFromJson(start);
        List<String> wanted = new ArrayList<>(table.key.names());
        if (index != null) {
            index.key().names().stream().filter(name -> !wanted.contains(name)).forEach(wanted::add);
        }
        if (startKey.size() != wanted.size() || !startKey.keySet().containsAll(wanted)) {
            // AWS's text: "The provided starting key is invalid: The provided key element does not match the schema".
            throw DynamoException.validation("The provided starting key is invalid: The provided key element does not "
                    + "match the schema");
        }
        return startKey;
    }

    /**
     * Reads candidates in order until Limit items were evaluated or 1 MB was read, filters and projects them; the
     * last evaluated item's key is LastEvaluatedKey when the read stopped early. {@code placement} answers -1 (skip),
     * 0 (in range) or 1 (past the range: stop).
     */
    private ObjectNode page(JsonNode request, Table table, IndexDef index, Iterator<Map<String, Value>> candidates,
            java.util.function.ToIntFunction<Map<String, Value>> placement, Evaluator evaluator, Ast.Condition filter,
            List<Ast.Path> projection) {
        int limit = request.has("Limit") ? request.get("Limit").asInt() : Integer.MAX_VALUE;
        if (limit < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 1");
        }
        String select = Requests.text(request, "Select");
        if (select != null && select.equals("ALL_ATTRIBUTES") && index != null && index.global()
                && !index.projection().equals("ALL")) {
            throw DynamoException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is "
                    + "not supported for global secondary index " + index.name() + " because its projection type is "
                    + "not ALL");
        }
        if (select != null && select.equals("SPECIFIC_ATTRIBUTES") && projection == null) {
            throw DynamoException.validation("1 validation error detected: Select SPECIFIC_ATTRIBUTES requires "
                    + "ProjectionExpression");
        }
        boolean countOnly = "COUNT".equals(select);
        ObjectNode response = Engine.JSON.objectNode();
        ArrayNode items = countOnly ? null : response.putArray("Items");
        int scanned = 0;
        int count = 0;
        long bytes = 0;
        Map<String, Value> last = null;
        boolean stoppedEarly = false;
        while (candidates.hasNext()) {
            Map<String, Value> item = candidates.next();
            int place = placement.applyAsInt(item);
            if (place < 0) {
                continue;
            }
            if (place > 0) {
                break;
            }
            scanned++;
            bytes += Items.size(item);
            last = item;
            if (filter == null || evaluator.test(filter, item)) {
                count++;
                if (!countOnly) {
                    items.add(Value.mapToJson(Engine.project(item, projection)));
                }
            }
            if (scanned >= limit || bytes >= PAGE_BYTES) {
                stoppedEarly = candidates.hasNext() || scanned >= limit;
                break;
            }
        }
        boolean consistent = request.path("ConsistentRead").asBoolean(false);
        double units = CapacityUnits.read(bytes, consistent);
        engine.options.throughputGate().charge(List.of(Charge.read(table.name, index == null ? null : index.name(),
                last == null ? "" : last.get(index == null ? table.key.hash() : index.key().hash()).canonical(), units)));
        response.put("Count", count);
        response.put("ScannedCount", scanned);
        if (stoppedEarly && last != null) {
            response.set("LastEvaluatedKey", Value.mapToJson(index == null ? Validation.keyOf(table, last)
                    : Validation.indexKeyOf(table, index, last)));
        }
        consumed(request, response, table.name, units);
        return response;
    }
}
