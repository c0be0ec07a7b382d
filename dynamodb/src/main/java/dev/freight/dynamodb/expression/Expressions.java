package dev.freight.dynamodb.expression;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.freight.dynamodb.engine.DynamoException;
import dev.freight.dynamodb.engine.Value;

/**
 * The expression attribute names and values of one request, shared by all its expressions: resolves references,
 * records which were used, and refuses unused ones after parsing, with DynamoDB's messages.
 */
public final class Expressions {

    private final Map<String, String> names;
    private final Map<String, Value> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    public Expressions(Map<String, String> names, Map<String, Value> values) {
        this.names = names;
        this.values = values;
    }

    public Value value(String reference) {
        return values.get(reference);
    }

    String resolveName(String reference, String kind) {
        String name = names.get(reference);
        if (name == null) {
            // Quoted from DynamoDB: "Invalid UpdateExpression: An expression attribute name used in the document
            // path is not defined; attribute name: #x" (getmoto/moto#2408, aws/aws-sdk-js#1917).
            throw DynamoException.validation("Invalid " + kind
                    + ": An expression attribute name used in the document path is not defined; attribute name: "
                    + reference);
        }
        usedNames.add(reference);
        return name;
    }

    void useValue(String reference, String kind) {
        if (!values.containsKey(reference)) {
            // Quoted from DynamoDB: "Invalid ConditionExpression: An expression attribute value used in expression
            // is not defined; attribute value: :x" (aws/aws-sdk-go#3973, getmoto/moto#1342).
            throw DynamoException.validation("Invalid " + kind
                    + ": An expression attribute value used in expression is not defined; attribute value: "
                    + reference);
        }
        usedValues.add(reference);
    }

    /**
     * After every expression of the request is parsed: DynamoDB refuses names or values no expression used,
     * "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}" (kestra-io/plugin-aws#358,
     * awspilot/dynamodb-oop#29, AllocZero/EfficientDynamoDb#170 for the names variant).
     */
    public void requireAllUsed() {
        Set<String> unusedNames = new TreeSet<>(names.keySet());
        unusedNames.removeAll(usedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        Set<String> unusedValues = new TreeSet<>(values.keySet());
        unusedValues.removeAll(usedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    /**
     * DynamoDB's syntax error text: "Invalid ConditionExpression: Syntax error; token: \"x\", near: \"a x b\""
     * (quoted in getmoto/moto#2012 and aws/aws-sdk-js#2065).
     */
    static DynamoException syntax(String kind, String expression, String token, int position) {
        int from = Math.max(0, position - 10);
        int to = Math.min(expression.length(), position + token.length() + 10);
        return DynamoException.validation("Invalid " + kind + ": Syntax error; token: \"" + token + "\", near: \""
                + expression.substring(from, to).trim() + "\"");
    }
}
