package dev.freight.dynamodb.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.dynamodb.expression.Ast;
import dev.freight.dynamodb.expression.Evaluator;
import dev.freight.dynamodb.expression.Expressions;
import dev.freight.dynamodb.expression.Parser;
import dev.freight.dynamodb.expression.Updater;
import dev.freight.dynamodb.limits.Charge;

/** PutItem, UpdateItem, DeleteItem and BatchWriteItem: conditional single-item writes. */
final class ItemOperations {

    /** AWS: "The BatchWriteItem operation ... can comprise as many as 25 put or delete requests". */
    static final int MAX_BATCH_WRITE = 25;

    private final Engine engine;

    ItemOperations(Engine engine) {
        this.engine = engine;
    }

    /** One planned write of one item: the key, the item before and after (null after: a delete). */
    record Write(Table table, Map<String, Value> key, Map<String, Value> before, Map<String, Value> after) {
    }

    /** A parsed single-item write whose outcome depends on the item's current state. */
    interface Plan {
        Table table();

        Map<String, Value> key();

        /** The item after the write, or null to delete; throws ConditionalCheckFailed (or validation) to refuse. */
        Map<String, Value> apply(Map<String, Value> before);
    }

    ObjectNode putItem(JsonNode request) {
        return writeAnsweringOld(request, putPlan(request));
    }

    ObjectNode deleteItem(JsonNode request) {
        return writeAnsweringOld(request, deletePlan(request));
    }

    /** PutItem and DeleteItem answer nothing or the item they replaced (ReturnValues NONE or ALL_OLD). */
    private ObjectNode writeAnsweringOld(JsonNode request, Plan plan) {
        String returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
        Write write = writeOne(plan);
        ObjectNode response = Engine.JSON.objectNode();
        if (returnValues.equals("ALL_OLD") && write.before() != null) {
            response.set("Attributes", Value.mapToJson(write.before()));
        }
        return response;
    }

    ObjectNode updateItem(JsonNode request) {
        UpdatePlan plan = updatePlan(request);
        String returnValues = returnValues(request, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
        Write write = writeOne(plan);
        ObjectNode response = Engine.JSON.objectNode();
        Map<String, Value> attributes = switch (returnValues) {
            case "ALL_OLD" -> write.before();
            case "ALL_NEW" -> write.after();
            // Only what the actions changed, nested paths as fragments ({a: {b: 1}} for SET a.b), as DynamoDB answers
            // (checked against DynamoDB in ExtendDB/extenddb#98 and nubo-db/dynoxide#36).
            case "UPDATED_OLD" -> write.before() == null ? null : Updater.project(write.before(), plan.touched());
            case "UPDATED_NEW" -> write.after() == null ? null : Updater.project(write.after(), plan.touched());
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) {
            response.set("Attributes", Value.mapToJson(attributes));
        }
        return response;
    }

    private static String returnValues(JsonNode request, Set<String> allowed) {
        String returnValues = Requests.text(request, "ReturnValues");
        if (returnValues == null) {
            return "NONE";
        }
        if (!allowed.contains(returnValues)) {
            // AWS's text: "Return values set to invalid value" (ValidationException).
            throw DynamoException.validation("Return values set to invalid value");
        }
        return returnValues;
    }

    ObjectNode batchWriteItem(JsonNode request) {
        JsonNode requestItems = request.path("RequestItems");
        List<Plan> plans = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        requestItems.fields().forEachRemaining(entry -> {
            for (JsonNode writeRequest : entry.getValue()) {
                ObjectNode single = Engine.JSON.objectNode().put("TableName", entry.getKey());
                Plan plan;
                if (writeRequest.has("PutRequest")) {
                    single.set("Item", writeRequest.get("PutRequest").get("Item"));
                    plan = putPlan(single);
                } else if (writeRequest.has("DeleteRequest")) {
                    single.set("Key", writeRequest.get("DeleteRequest").get("Key"));
                    plan = deletePlan(single);
                } else {
                    throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, must "
                            + "contain exactly one of the supported datatypes");
                }
                if (!seen.add(Engine.canonicalKey(plan.table(), plan.key()))) {
                    // AWS's text: "Provided list of item keys contains duplicates" (BatchWriteItem).
                    throw DynamoException.validation("Provided list of item keys contains duplicates");
                }
                plans.add(plan);
            }
        });
        if (plans.isEmpty() || plans.size() > MAX_BATCH_WRITE) {
            throw DynamoException.validation("1 validation error detected: Value at 'requestItems' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + MAX_BATCH_WRITE);
        }
        for (Plan plan : plans) {
            writeOne(plan);
        }
        ObjectNode response = Engine.JSON.objectNode();
        response.putObject("UnprocessedItems");
        return response;
    }

    // ------------------------------------------------------------------ plans

    Plan putPlan(JsonNode request) {
        Table table = tableOf(request);
        Map<String, Value> item = Value.itemFromJson(request.get("Item"));
        Validation.item(table, item);
        Expressions expressions = Requests.expressions(request);
        Ast.Condition condition = condition(request, expressions);
        expressions.requireAllUsed();
        Evaluator evaluator = new Evaluator(expressions);
        String onFailure = Requests.text(request, "ReturnValuesOnConditionCheckFailure");
        Map<String, Value> key = Validation.keyOf(table, item);
        return new SimplePlan(table, key, before -> {
            Engine.checkCondition(evaluator, condition, before, onFailure);
            return item;
        });
    }

    Plan deletePlan(JsonNode request) {
        Table table = tableOf(request);
        Map<String, Value> key = Validation.key(table, request.get("Key"));
        Expressions expressions = Requests.expressions(request);
        Ast.Condition condition = condition(request, expressions);
        expressions.requireAllUsed();
        Evaluator evaluator = new Evaluator(expressions);
        String onFailure = Requests.text(request, "ReturnValuesOnConditionCheckFailure");
        return new SimplePlan(table, key, before -> {
            Engine.checkCondition(evaluator, condition, before, onFailure);
            return null;
        });
    }

    /** An update plan also knows which top-level attributes it touches (for UPDATED_OLD / UPDATED_NEW). */
    record UpdatePlan(Table table, Map<String, Value> key, List<Ast.Path> touched,
            java.util.function.UnaryOperator<Map<String, Value>> change) implements Plan {
        @Override
        public Map<String, Value> apply(Map<String, Value> before) {
            return change.apply(before);
        }
    }

    UpdatePlan updatePlan(JsonNode request) {
        Table table = tableOf(request);
        Map<String, Value> key = Validation.key(table, request.get("Key"));
        Expressions expressions = Requests.expressions(request);
        String updateExpression = Requests.text(request, "UpdateExpression");
        List<Ast.Action> actions = updateExpression == null ? List.of() : Parser.update(updateExpression, expressions);
        Ast.Condition condition = condition(request, expressions);
        expressions.requireAllUsed();
        for (Ast.Action action : actions) {
            if (table.key.names().contains(action.path().top())) {
                // Quoted from DynamoDB: "One or more parameter values were invalid: Cannot update attribute pk.
                // This attribute is part of the key" (truora/minidyn#76, dynamoose/dynamoose#382).
                throw DynamoException.validation("One or more parameter values were invalid: Cannot update attribute "
                        + action.path().top() + ". This attribute is part of the key");
            }
        }
        Evaluator evaluator = new Evaluator(expressions);
        Updater updater = new Updater(expressions);
        String onFailure = Requests.text(request, "ReturnValuesOnConditionCheckFailure");
        return new UpdatePlan(table, key, actions.stream().map(Ast.Action::path).toList(), before -> {
            Engine.checkCondition(evaluator, condition, before, onFailure);
            Map<String, Value> start = before != null ? before : key;
            Map<String, Value> after = updater.apply(actions, start);
            Validation.item(table, after);
            return after;
        });
    }

    private record SimplePlan(Table table, Map<String, Value> key,
            java.util.function.UnaryOperator<Map<String, Value>> change) implements Plan {
        @Override
        public Map<String, Value> apply(Map<String, Value> before) {
            return change.apply(before);
        }
    }

    private Table tableOf(JsonNode request) {
        String name = Requests.tableName(request);
        engine.lock.readLock().lock();
        try {
            return engine.table(name);
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    static Ast.Condition condition(JsonNode request, Expressions expressions) {
        String condition = Requests.text(request, "ConditionExpression");
        return condition == null ? null : Parser.condition(condition, "ConditionExpression", expressions);
    }

    /**
     * Runs one planned write: holds the item against running transactions, then under the write lock reads the
     * item, applies the plan, charges the throughput gate (nothing changes when it refuses) and stores the result.
     */
    Write writeOne(Plan plan) {
        String itemKey = Engine.canonicalKey(plan.table(), plan.key());
        return engine.holding(List.of(itemKey), false, engine.lock.writeLock(), () -> {
            Table table = engine.table(plan.table().name);
            Map<String, Value> before = table.get(plan.key());
            Map<String, Value> after;
            try {
                after = plan.apply(before);
            } catch (DynamoException refused) {
                if (refused.type().equals("ConditionalCheckFailedException")) {
                    // A failed condition still costs a write unit on AWS.
                    engine.options.throughputGate().charge(List.of(Charge.write(table.name, null,
                            plan.key().get(table.key.hash()).canonical(), 1)));
                }
                throw refused;
            }
            engine.options.throughputGate().charge(before == null && after == null
                    ? List.of(Charge.write(table.name, null, plan.key().get(table.key.hash()).canonical(), 1))
                    : Engine.writeCharges(table, before, after, false));
            if (after == null) {
                if (before != null) {
                    table.delete(plan.key());
                    engine.record(List.of(Engine.deletion(table.name, plan.key())));
                }
            } else {
                table.put(after);
                engine.record(List.of(Engine.putting(table.name, after)));
            }
            return new Write(table, plan.key(), before, after);
        });
    }
}
