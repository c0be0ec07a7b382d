package dev.freight.dynamodb.differential;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Kinds of answers where the engine and dynalite are known to differ, each with who matches DynamoDB and the source
 * (engine differences are reported to the engine's owner). A step whose difference matches a kind makes its case skipped (with both answers) instead of failed, so the
 * suite stays a gate for everything else; when the engine is fixed, the kind simply stops matching and should go.
 */
final class KnownDiscrepancies {

    /** One kind: what DynamoDB does, where that is recorded, and how to recognise the difference. */
    private record Kind(String reason, Matcher matcher) {
    }

    private interface Matcher {
        boolean matches(String request, JsonNode expected, JsonNode actual);
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("engine's message for an invalid value in ExpressionAttributeValues (an empty set, a number that is "
                    + "not one) lacks DynamoDB's frame 'ExpressionAttributeValues contains invalid value: <why> for key :v' "
                    + "(dynalite's text, e.g. 'The parameter cannot be converted to a numeric value: not a number for key :x')",
                    (request, expected, actual) -> message(expected).startsWith("ExpressionAttributeValues contains invalid value: ")
                            && "ValidationException".equals(actual.path("error").asText())),
            new Kind("three conditions on two keys: engine 'Conditions can be of length 1 or 2 only', dynalite 'KeyConditionExpressions "
                    + "must only contain one condition per key' (not checked against DynamoDB)",
                    (request, expected, actual) -> message(expected).equals(
                            "KeyConditionExpressions must only contain one condition per key")
                            && message(actual).equals("Conditions can be of length 1 or 2 only")),
            new Kind("dynalite differs, the engine matches DynamoDB: size() of an empty string is 0 (empty non-key "
                    + "strings are allowed since 2020: https://aws.amazon.com/about-aws/whats-new/2020/05/amazon-dynamodb-"
                    + "now-supports-empty-values-for-non-key-string-and-binary-attributes-in-dynamodb-tables/); dynalite "
                    + "treats '' as having no size",
                    (request, expected, actual) -> request.contains("size(") && actual.toString().contains("{\"S\":\"\"}")
                            && actual.path("Count").asInt() > expected.path("Count").asInt()),
            new Kind("dynalite differs, the engine matches DynamoDB: an UPDATED_NEW/UPDATED_OLD update that leaves nothing to return "
                    + "omits Attributes (DynamoDB, REMOVE-only update: https://github.com/nubo-db/dynoxide/issues/36); "
                    + "dynalite answers Attributes: {}",
                    (request, expected, actual) -> request.contains("\"UPDATED_") && expected.path("Attributes").isObject()
                            && expected.path("Attributes").isEmpty() && !actual.has("Attributes")));

    private KnownDiscrepancies() {
    }

    /** The reason of the known kind this difference belongs to, or null. */
    static String reason(String request, JsonNode expected, JsonNode actual) {
        for (Kind kind : KINDS) {
            if (kind.matcher().matches(request, expected, actual)) {
                return kind.reason();
            }
        }
        return null;
    }

    private static String message(JsonNode answer) {
        return answer.path("message").asText("");
    }
}
