package dev.freight.dynamodb.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freight.dynamodb.differential.DiffCase.Compare;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Brings an engine's answer to the form both engines are compared in. */
final class Answers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Answers() {
    }

    static JsonNode normalize(Compare compare, WireClient.Answer answer) {
        if (answer.status() != 200) {
            ObjectNode error = NODES.objectNode();
            String type = answer.body().path("__type").asText("");
            error.put("error", type.substring(type.indexOf('#') + 1));
            if (compare != Compare.ERROR_TYPE) {
                JsonNode message = answer.body().has("message") ? answer.body().get("message") : answer.body().get("Message");
                error.set("message", message == null ? NODES.nullNode() : message);
                if (answer.body().has("CancellationReasons")) {
                    error.set("CancellationReasons", answer.body().get("CancellationReasons"));
                }
                if (answer.body().has("Item")) {
                    error.set("Item", sorted(answer.body().get("Item")));
                }
            }
            return error;
        }
        JsonNode body = sorted(answer.body());
        return switch (compare) {
            case TABLE -> table(body);
            case UNORDERED_ITEMS -> unordered(body);
            default -> body;
        };
    }

    /** Sorted object keys and sorted set members (DynamoDB defines no order for either), recursively. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            if (fields.size() == 1) {
                String type = fields.keySet().iterator().next();
                if ((type.equals("SS") || type.equals("NS") || type.equals("BS")) && fields.get(type).isArray()) {
                    fields.put(type, sortedArray(fields.get(type)));
                }
            }
            // BatchGetItem's Responses: the items of a table come back in no defined order.
            if (fields.containsKey("Responses") && fields.get("Responses").isObject()) {
                ObjectNode responses = NODES.objectNode();
                fields.get("Responses").fields().forEachRemaining(e -> responses.set(e.getKey(), sortedArray(e.getValue())));
                fields.put("Responses", responses);
            }
            ObjectNode out = NODES.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    private static ArrayNode sortedArray(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        elements.sort(Comparator.comparing(JsonNode::toString));
        ArrayNode out = NODES.arrayNode();
        elements.forEach(out::add);
        return out;
    }

    private static JsonNode unordered(JsonNode body) {
        ObjectNode out = NODES.objectNode();
        if (body.has("Items")) {
            out.set("Items", sortedArray(body.get("Items")));
        }
        out.set("Count", body.path("Count"));
        out.set("ScannedCount", body.path("ScannedCount"));
        out.put("more", body.has("LastEvaluatedKey"));
        return out;
    }

    private static JsonNode table(JsonNode body) {
        JsonNode description = body.has("TableDescription") ? body.get("TableDescription") : body.path("Table");
        ObjectNode out = NODES.objectNode();
        out.set("TableName", description.path("TableName"));
        out.set("KeySchema", description.path("KeySchema"));
        out.set("AttributeDefinitions", sortedArray(description.path("AttributeDefinitions")));
        for (String kind : new String[] {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
            if (description.has(kind)) {
                ArrayNode indexes = NODES.arrayNode();
                for (JsonNode index : description.get(kind)) {
                    ObjectNode picked = NODES.objectNode();
                    picked.set("IndexName", index.path("IndexName"));
                    picked.set("KeySchema", index.path("KeySchema"));
                    picked.set("Projection", index.path("Projection"));
                    indexes.add(picked);
                }
                out.set(kind, sortedArray(indexes));
            }
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return sorted(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
