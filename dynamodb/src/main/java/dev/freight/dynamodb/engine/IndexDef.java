package dev.freight.dynamodb.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A secondary index: its name, key, projection (ALL, KEYS_ONLY or INCLUDE with its attributes), global or local. */
public record IndexDef(String name, KeySchema key, String projection, List<String> included, boolean global) {

    static IndexDef parse(JsonNode node, Map<String, Value.Type> types, boolean global) {
        String name = node.path("IndexName").asText();
        KeySchema key = KeySchema.parse(node.get("KeySchema"), types, "");
        JsonNode projection = node.path("Projection");
        String type = projection.path("ProjectionType").asText("");
        if (type.isEmpty()) {
            throw DynamoException.validation("One or more parameter values were invalid: Unknown ProjectionType: null");
        }
        List<String> included = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(attribute -> included.add(attribute.asText()));
        if (!type.equals("INCLUDE") && !included.isEmpty()) {
            throw DynamoException.validation("One or more parameter values were invalid: ProjectionType is " + type
                    + ", but NonKeyAttributes is specified");
        }
        return new IndexDef(name, key, type, List.copyOf(included), global);
    }

    /** The index's copy of an item (its keys, the table's keys and what the projection includes). */
    Map<String, Value> project(Map<String, Value> item, KeySchema tableKey) {
        if (projection.equals("ALL")) {
            return item;
        }
        Map<String, Value> projected = new LinkedHashMap<>();
        for (Map.Entry<String, Value> attribute : item.entrySet()) {
            String attributeName = attribute.getKey();
            if (tableKey.names().contains(attributeName) || key.names().contains(attributeName)
                    || included.contains(attributeName)) {
                projected.put(attributeName, attribute.getValue());
            }
        }
        return projected;
    }

    /** Sparse: an item is in the index only when it has the index's key attributes with their declared types. */
    boolean covers(Map<String, Value> item) {
        Value hashValue = item.get(key.hash());
        if (hashValue == null || hashValue.type() != key.hashType()) {
            return false;
        }
        if (key.hasRange()) {
            Value rangeValue = item.get(key.range());
            return rangeValue != null && rangeValue.type() == key.rangeType();
        }
        return true;
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("IndexName", name);
        node.set("KeySchema", key.toJson());
        ObjectNode projectionNode = node.putObject("Projection");
        projectionNode.put("ProjectionType", projection);
        if (!included.isEmpty()) {
            included.forEach(projectionNode.putArray("NonKeyAttributes")::add);
        }
        return node;
    }
}
