package dev.freight.dynamodb.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.dynamodb.expression.Ast;
import dev.freight.dynamodb.expression.Evaluator;
import dev.freight.dynamodb.expression.Expressions;
import dev.freight.dynamodb.limits.CapacityUnits;
import dev.freight.dynamodb.limits.Charge;

/** TransactWriteItems and TransactGetItems: all or nothing, conditions checked against one consistent state. */
final class Transactions {

    /** AWS: "TransactWriteItems is a synchronous write operation that groups up to 100 action requests." */
    static final int MAX_ACTIONS = 100;
    /** AWS: "A client request token is valid for 10 minutes after the first request that uses it is completed." */
    static final long TOKEN_MILLIS = 10 * 60 * 1000L;

    private final Engine engine;
    private final ItemOperations items;
    private final Map<String, Token> tokens = new LinkedHashMap<>();

    private record Token(String request, long at) {
    }

    Transactions(Engine engine, ItemOperations items) {
        this.engine = engine;
        this.items = items;
    }

    ObjectNode write(JsonNode request) {
        JsonNode actions = request.path("TransactItems");
        checkCount(actions);
        List<ItemOperations.Plan> plans = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<String> itemKeys = new ArrayList<>();
        for (JsonNode action : actions) {
            ItemOperations.Plan plan = plan(action);
            String itemKey = Engine.canonicalKey(plan.table(), plan.key());
            if (!keys.add(itemKey)) {
                // AWS's text: "Transaction request cannot include multiple operations on one item"
                // (ValidationException, API_TransactWriteItems.html).
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
            plans.add(plan);
            itemKeys.add(itemKey);
        }
        String token = Requests.text(request, "ClientRequestToken");
        if (token != null && repeated(token, request)) {
            return Engine.JSON.objectNode();
        }
        engine.holding(itemKeys, true, engine.lock.writeLock(), () -> {
            commit(plans);
            if (token != null) {
                remember(token, request);
            }
            return null;
        });
        return Engine.JSON.objectNode();
    }

    /**
     * ClientRequestToken idempotency: the same token with the same request within 10 minutes succeeds again without
     * writing; with another request it is refused, "The request uses the same client token as a previous, but
     * non-identical request" (IdempotentParameterMismatchException, API_TransactWriteItems.html).
     */
    private synchronized boolean repeated(String token, JsonNode request) {
        long now = System.currentTimeMillis();
        tokens.values().removeIf(previous -> now - previous.at() > TOKEN_MILLIS);
        Token previous = tokens.get(token);
        if (previous == null) {
            return false;
        }
        if (!previous.request().equals(request.toString())) {
            throw new DynamoException("IdempotentParameterMismatchException",
                    "The request uses the same client token as a previous, but non-identical request.", 400);
        }
        return true;
    }

    private synchronized void remember(String token, JsonNode request) {
        tokens.put(token, new Token(request.toString(), System.currentTimeMillis()));
    }

    private static void checkCount(JsonNode actions) {
        if (!actions.isArray() || actions.size() == 0 || actions.size() > MAX_ACTIONS) {
            throw DynamoException.validation("1 validation error detected: Value at 'transactItems' failed to satisfy "
                    + "constraint: Member must have length " + (actions.size() == 0 ? "greater than or equal to 1"
                            : "less than or equal to " + MAX_ACTIONS));
        }
    }

    private ItemOperations.Plan plan(JsonNode action) {
        if (action.size() != 1) {
            throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        String kind = action.fieldNames().next();
        JsonNode body = action.get(kind);
        return switch (kind) {
            case "Put" -> items.putPlan(body);
            case "Update" -> items.updatePlan(body);
            case "Delete" -> items.deletePlan(body);
            case "ConditionCheck" -> conditionCheck(body);
            default -> throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        };
    }

    /** A ConditionCheck changes nothing: its plan answers the item as it is. */
    private ItemOperations.Plan conditionCheck(JsonNode body) {
        ObjectNode asDelete = body.deepCopy();
        ItemOperations.Plan check = items.deletePlan(asDelete);
        return new ItemOperations.Plan() {
            @Override
            public Table table() {
                return check.table();
            }

            @Override
            public Map<String, Value> key() {
                return check.key();
            }

            @Override
            public Map<String, Value> apply(Map<String, Value> before) {
                check.apply(before);
                return before == null ? CHECK_ONLY_MISSING : before;
            }
        };
    }

    /** Marks a ConditionCheck on a missing item: nothing to write. */
    private static final Map<String, Value> CHECK_ONLY_MISSING = Map.of();

    /**
     * Evaluates every action against the current state (caller holds the write lock); cancels with one reason per
     * action in request order when any fails, else charges and applies them all.
     */
    private void commit(List<ItemOperations.Plan> plans) {
        List<Map<String, Value>> befores = new ArrayList<>();
        List<Map<String, Value>> afters = new ArrayList<>();
        List<ObjectNode> reasons = new ArrayList<>();
        boolean failed = false;
        for (ItemOperations.Plan plan : plans) {
            Table table = engine.table(plan.table().name);
            Map<String, Value> before = table.get(plan.key());
            befores.add(before);
            ObjectNode reason = Engine.JSON.objectNode();
            try {
                afters.add(plan.apply(before));
                reason.put("Code", "None");
            } catch (DynamoException refused) {
                afters.add(null);
                failed = true;
                if (refused.type().equals("ConditionalCheckFailedException")) {
                    reason.put("Code", "ConditionalCheckFailed").put("Message", refused.getMessage());
                    if (refused.extra().has("Item")) {
                        reason.set("Item", refused.extra().get("Item"));
                    }
                } else {
                    // Run-time errors of one action (e.g. arithmetic on a missing attribute) are its reason.
                    reason.put("Code", "ValidationError").put("Message", refused.getMessage());
                }
            }
            reasons.add(reason);
        }
        if (failed) {
            throw canceled(reasons);
        }
        List<Charge> charges = new ArrayList<>();
        List<Integer> chargeItems = new ArrayList<>(); // the request position each charge belongs to
        for (int i = 0; i < plans.size(); i++) {
            Table table = plans.get(i).table();
            Map<String, Value> before = befores.get(i);
            Map<String, Value> after = afters.get(i);
            if (after == CHECK_ONLY_MISSING || after == before) {
                // A ConditionCheck: reads the item (transactional read cost in write units on AWS).
                charges.add(Charge.write(table.name, null, plans.get(i).key().get(table.key.hash()).canonical(),
                        CapacityUnits.transactional(1)));
            } else if (before == null && after == null) {
                charges.add(Charge.write(table.name, null, plans.get(i).key().get(table.key.hash()).canonical(),
                        CapacityUnits.transactional(1)));
            } else {
                charges.addAll(Engine.writeCharges(table, before, after, true));
            }
            while (chargeItems.size() < charges.size()) {
                chargeItems.add(i);
            }
        }
        chargeOrCancel(charges, chargeItems, plans.size());
        List<ObjectNode> entries = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Table table = engine.table(plans.get(i).table().name);
            Map<String, Value> before = befores.get(i);
            Map<String, Value> after = afters.get(i);
            if (after == CHECK_ONLY_MISSING || after == before) {
                continue;
            }
            if (after == null) {
                if (before != null) {
                    table.delete(plans.get(i).key());
                    entries.add(Engine.deletion(table.name, plans.get(i).key()));
                }
            } else {
                table.put(after);
                entries.add(Engine.putting(table.name, after));
            }
        }
        engine.record(entries);
    }

    /**
     * Spends a transaction's capacity or cancels it: "There is insufficient provisioned capacity for the transaction
     * to be completed" cancels it, with ThrottlingError (on-demand) or ProvisionedThroughputExceeded at the throttled
     * items (API_TransactWriteItems.html, CancellationReasons), rather than a top-level throttling error.
     */
    private void chargeOrCancel(List<Charge> charges, List<Integer> chargeItems, int items) {
        try {
            engine.options.throughputGate().charge(charges);
        } catch (dev.freight.dynamodb.limits.ThrottledException throttled) {
            List<ObjectNode> reasons = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                reasons.add(Engine.JSON.objectNode().put("Code", "None"));
            }
            for (int charge : throttled.refusedCharges()) {
                reasons.get(chargeItems.get(charge)).put("Code", throttled.cancellationCode())
                        .put("Message", throttled.getMessage());
            }
            throw canceled(reasons);
        }
    }

    /**
     * "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
     * with CancellationReasons in request order (response quoted in pynamodb/PynamoDB#1144, boto/boto3#2657).
     */
    static DynamoException canceled(List<ObjectNode> reasons) {
        List<String> codes = new ArrayList<>();
        reasons.forEach(reason -> codes.add(reason.path("Code").asText()));
        DynamoException canceled = new DynamoException("TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + String.join(", ", codes)
                        + "]", 400);
        ArrayNode array = canceled.extra().putArray("CancellationReasons");
        reasons.forEach(array::add);
        return canceled;
    }

    ObjectNode get(JsonNode request) {
        JsonNode actions = request.path("TransactItems");
        checkCount(actions);
        List<Table> tables = new ArrayList<>();
        List<Map<String, Value>> keys = new ArrayList<>();
        List<List<Ast.Path>> projections = new ArrayList<>();
        List<String> itemKeys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        engine.lock.readLock().lock();
        try {
            for (JsonNode action : actions) {
                JsonNode get = action.get("Get");
                if (get == null) {
                    throw DynamoException.validation("TransactItems can only contain Get");
                }
                Table table = engine.table(Requests.tableName(get));
                Map<String, Value> key = Validation.key(table, get.get("Key"));
                Expressions expressions = Requests.expressions(get);
                projections.add(Engine.projection(get, expressions));
                expressions.requireAllUsed();
                String itemKey = Engine.canonicalKey(table, key);
                if (!seen.add(itemKey)) {
                    throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
                }
                tables.add(table);
                keys.add(key);
                itemKeys.add(itemKey);
            }
        } finally {
            engine.lock.readLock().unlock();
        }
        return engine.holding(itemKeys, true, engine.lock.readLock(), () -> {
            ObjectNode response = Engine.JSON.objectNode();
            ArrayNode responses = response.putArray("Responses");
            List<Charge> charges = new ArrayList<>();
            List<Map<String, Value>> found = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                Map<String, Value> item = tables.get(i).get(keys.get(i));
                found.add(item);
                charges.add(Charge.read(tables.get(i).name, null,
                        keys.get(i).get(tables.get(i).key.hash()).canonical(),
                        CapacityUnits.transactional(CapacityUnits.read(item == null ? 0 : Items.size(item), true))));
            }
            chargeOrCancel(charges, java.util.stream.IntStream.range(0, charges.size()).boxed().toList(),
                    tables.size());
            for (int i = 0; i < found.size(); i++) {
                ObjectNode entry = responses.addObject();
                if (found.get(i) != null) {
                    entry.set("Item", Value.mapToJson(Engine.project(found.get(i), projections.get(i))));
                }
            }
            return response;
        });
    }
}
