package dev.freight.dynamodb.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** AWS's rules for keys and items, each with DynamoDB's message and where it was seen quoted. */
final class Validation {

    private Validation() {
    }

    /**
     * A Key parameter: exactly the table's key attributes with their types, else "The provided key element does not
     * match the schema" (DynamoDB's text, quoted in awsdocs/aws-doc-sdk-examples#333 and countless threads).
     */
    static Map<String, Value> key(Table table, JsonNode keyNode) {
        if (keyNode == null || keyNode.isNull()) {
            throw DynamoException.validation("1 validation error detected: Value null at 'key' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        Map<String, Value> key = Value.itemFromJson(keyNode);
        if (key.size() != table.key.names().size()) {
            throw mismatch();
        }
        for (String name : table.key.names()) {
            Value value = key.get(name);
            if (value == null || value.type() != table.attributeTypes.get(name)) {
                throw mismatch();
            }
            checkKeyValue(name, value, name.equals(table.key.hash()));
        }
        Map<String, Value> ordered = new LinkedHashMap<>();
        table.key.names().forEach(name -> ordered.put(name, key.get(name)));
        return ordered;
    }

    private static DynamoException mismatch() {
        return DynamoException.validation("The provided key element does not match the schema");
    }

    /**
     * Key values: not empty ("One or more parameter values are not valid. The AttributeValue for a key attribute
     * cannot contain an empty string value. Key: pk", DynamoDB's text since empty non-key strings were allowed in
     * 2020, quoted in getmoto/moto#3203); partition keys at most 2048 bytes ("Size of hashkey has exceeded the
     * maximum size limit of2048 bytes", sic, quoted in aws/aws-sdk-js#1740) and sort keys at most 1024 bytes
     * ("Aggregated size of all range keys has exceeded the size limit of 1024 bytes", quoted in getmoto/moto#3220).
     */
    static void checkKeyValue(String name, Value value, boolean partition) {
        long size = value.type() == Value.Type.S ? Value.utf8Length(value.s())
                : value.type() == Value.Type.B ? value.b().length : 1;
        if (size == 0) {
            String kind = value.type() == Value.Type.B ? "binary" : "string";
            throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for a key "
                    + "attribute cannot contain an empty " + kind + " value. Key: " + name);
        }
        if (partition && value.size() > Items.MAX_PARTITION_KEY_BYTES) {
            throw DynamoException.validation("One or more parameter values were invalid: Size of hashkey has exceeded "
                    + "the maximum size limit of2048 bytes");
        }
        if (!partition && value.size() > Items.MAX_SORT_KEY_BYTES) {
            throw DynamoException.validation("One or more parameter values were invalid: Aggregated size of all range "
                    + "keys has exceeded the size limit of 1024 bytes");
        }
    }

    /** A whole item about to be stored. */
    static void item(Table table, Map<String, Value> item) {
        for (String name : table.key.names()) {
            Value value = item.get(name);
            if (value == null) {
                // Quoted from DynamoDB: "One or more parameter values were invalid: Missing the key id in the item".
                throw DynamoException.validation("One or more parameter values were invalid: Missing the key " + name
                        + " in the item");
            }
            Value.Type expected = table.attributeTypes.get(name);
            if (value.type() != expected) {
                // Quoted from DynamoDB: "One or more parameter values were invalid: Type mismatch for key id
                // expected: S actual: N" (getmoto/moto#1866).
                throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for key "
                        + name + " expected: " + expected + " actual: " + value.type());
            }
            checkKeyValue(name, value, name.equals(table.key.hash()));
        }
        for (IndexDef index : table.indexes) {
            for (String name : index.key().names()) {
                Value value = item.get(name);
                if (value == null || table.key.names().contains(name)) {
                    continue;
                }
                Value.Type expected = table.attributeTypes.get(name);
                if (value.type() != expected) {
                    // Quoted from DynamoDB: "One or more parameter values were invalid: Type mismatch for Index Key
                    // gsi_pk Expected: S Actual: N IndexName: gsi" (getmoto/moto#2947).
                    throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for "
                            + "Index Key " + name + " Expected: " + expected + " Actual: " + value.type()
                            + " IndexName: " + index.name());
                }
                if ((value.type() == Value.Type.S && value.s().isEmpty())
                        || (value.type() == Value.Type.B && value.b().length == 0)) {
                    // Quoted from DynamoDB (getmoto/moto#3358): "One or more parameter values are not valid. A value
                    // specified for a secondary index key is not supported. The AttributeValue for a key attribute
                    // cannot contain an empty string value. IndexName: gsi, IndexKey: k"
                    throw DynamoException.validation("One or more parameter values are not valid. A value specified "
                            + "for a secondary index key is not supported. The AttributeValue for a key attribute "
                            + "cannot contain an empty string value. IndexName: " + index.name() + ", IndexKey: " + name);
                }
            }
        }
        if (Items.size(item) > Items.MAX_ITEM_BYTES) {
            // AWS's text: "Item size has exceeded the maximum allowed size" (ValidationException; API_PutItem.html
            // Errors and aws/aws-sdk-js#1240).
            throw DynamoException.validation("Item size has exceeded the maximum allowed size");
        }
    }

    static Map<String, Value> keyOf(Table table, Map<String, Value> item) {
        Map<String, Value> key = new LinkedHashMap<>();
        table.key.names().forEach(name -> key.put(name, item.get(name)));
        return key;
    }

    static Map<String, Value> indexKeyOf(Table table, IndexDef index, Map<String, Value> item) {
        Map<String, Value> key = keyOf(table, item);
        index.key().names().forEach(name -> key.put(name, item.get(name)));
        return key;
    }
}
