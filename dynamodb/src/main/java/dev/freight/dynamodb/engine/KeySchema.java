package dev.freight.dynamodb.engine;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The key of a table or index: a partition (HASH) attribute and an optional sort (RANGE) attribute, with types. */
public record KeySchema(String hash, Value.Type hashType, String range, Value.Type rangeType) {

    public boolean hasRange() {
        return range != null;
    }

    public List<String> names() {
        return hasRange() ? List.of(hash, range) : List.of(hash);
    }

    static KeySchema parse(JsonNode keySchema, Map<String, Value.Type> types, String where) {
        String hash = null;
        String range = null;
        if (keySchema == null || !keySchema.isArray() || keySchema.size() == 0 || keySchema.size() > 2) {
            throw DynamoException.validation("1 validation error detected: Value null at '" + where
                    + "keySchema' failed to satisfy constraint: Member must not be null");
        }
        for (JsonNode element : keySchema) {
            String name = element.path("AttributeName").asText();
            String keyType = element.path("KeyType").asText();
            if (keyType.equals("HASH") && hash == null) {
                hash = name;
            } else if (keyType.equals("RANGE") && range == null) {
                range = name;
            } else {
                throw DynamoException.validation("Invalid KeySchema: Some index key attribute have no definition");
            }
        }
        if (hash == null) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (hash.equals(range)) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        for (String name : range == null ? List.of(hash) : List.of(hash, range)) {
            if (!types.containsKey(name)) {
                // Quoted from DynamoDB: "One or more parameter values were invalid: Some index key attributes are
                // not defined in AttributeDefinitions. Keys: [x], AttributeDefinitions: [y]" (moto#2496).
                throw DynamoException.validation("One or more parameter values were invalid: Some index key attributes "
                        + "are not defined in AttributeDefinitions. Keys: " + (range == null ? List.of(hash)
                                : List.of(hash, range)) + ", AttributeDefinitions: " + types.keySet());
            }
        }
        return new KeySchema(hash, types.get(hash), range, range == null ? null : types.get(range));
    }

    ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        array.addObject().put("AttributeName", hash).put("KeyType", "HASH");
        if (hasRange()) {
            array.addObject().put("AttributeName", range).put("KeyType", "RANGE");
        }
        return array;
    }
}
