package dev.freight.dynamodb.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error DynamoDB answers: its {@code __type} short name, its message, its HTTP status and any extra fields of the
 * body (a failed condition's {@code Item}, a cancelled transaction's {@code CancellationReasons}).
 */
public class DynamoException extends RuntimeException {

    public static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";

    private final String type;
    private final int status;
    private final ObjectNode extra = JsonNodeFactory.instance.objectNode();

    public DynamoException(String type, String message, int status) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    /** "ValidationException" is answered under the coral namespace by DynamoDB, which the SDK accepts too. */
    public static DynamoException validation(String message) {
        return new DynamoException("ValidationException", message, 400);
    }

    public static DynamoException serialization(String message) {
        return new DynamoException("SerializationException", message, 400);
    }

    public static DynamoException notFound(String message) {
        return new DynamoException("ResourceNotFoundException", message, 400);
    }

    public static DynamoException inUse(String message) {
        return new DynamoException("ResourceInUseException", message, 400);
    }

    /** "The conditional request failed" is DynamoDB's text for ConditionalCheckFailedException. */
    public static DynamoException conditionFailed() {
        return new DynamoException("ConditionalCheckFailedException", "The conditional request failed", 400);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public ObjectNode extra() {
        return extra;
    }
}
