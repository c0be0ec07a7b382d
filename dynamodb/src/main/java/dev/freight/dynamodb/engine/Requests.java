package dev.freight.dynamodb.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.dynamodb.expression.Expressions;

/** Reading the fields of a request body. */
final class Requests {

    private Requests() {
    }

    static String text(JsonNode request, String field) {
        JsonNode node = request.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    static String tableName(JsonNode request) {
        String name = text(request, "TableName");
        if (name == null) {
            // "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not
            // be null" is how DynamoDB words a missing required member.
            throw DynamoException.validation("1 validation error detected: Value null at 'tableName' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        return name;
    }

    static Expressions expressions(JsonNode request) {
        Map<String, String> names = new LinkedHashMap<>();
        JsonNode namesNode = request.get("ExpressionAttributeNames");
        if (namesNode != null && !namesNode.isNull()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = namesNode.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().startsWith("#")) {
                    // Quoted from DynamoDB: "ExpressionAttributeNames contains invalid key: Syntax error; key: \"x\"".
                    throw DynamoException.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \""
                            + field.getKey() + "\"");
                }
                names.put(field.getKey(), field.getValue().asText());
            }
        }
        Map<String, Value> values = new LinkedHashMap<>();
        JsonNode valuesNode = request.get("ExpressionAttributeValues");
        if (valuesNode != null && !valuesNode.isNull()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = valuesNode.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().startsWith(":")) {
                    // Quoted from DynamoDB in architect/dynalite#24: "ExpressionAttributeValues contains invalid
                    // key: Syntax error; key: \"pid\"".
                    throw DynamoException.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \""
                            + field.getKey() + "\"");
                }
                try {
                    values.put(field.getKey(), Value.fromJson(field.getValue()));
                } catch (DynamoException invalid) {
                    // DynamoDB frames a bad value with its key: "ExpressionAttributeValues contains invalid value:
                    // <why> for key :v" (dynalite's text, matching DynamoDB's frame).
                    throw DynamoException.validation("ExpressionAttributeValues contains invalid value: "
                            + invalid.getMessage() + " for key " + field.getKey());
                }
            }
        }
        if (namesNode != null && !namesNode.isNull() && names.isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeNames must not be empty");
        }
        if (valuesNode != null && !valuesNode.isNull() && values.isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeValues must not be empty");
        }
        return new Expressions(names, values);
    }
}
