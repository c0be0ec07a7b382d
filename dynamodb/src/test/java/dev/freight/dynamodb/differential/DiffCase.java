package dev.freight.dynamodb.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * One differential case: requests sent in order to both engines, each answer compared as its {@link Compare} says.
 * {@code $T} and {@code $U} in a request stand for the case's own two table names, so cases never share state.
 */
record DiffCase(String name, List<Step> steps) {

    /** How two answers to one step are compared. */
    enum Compare {
        /** The whole body (sets sorted, error type without its namespace, error message). */
        EXACT,
        /** Error type only: the messages are known to differ (the step says why). */
        ERROR_TYPE,
        /** Items in any order (Scan's order is the engine's hash order), with Count and ScannedCount. */
        UNORDERED_ITEMS,
        /** The table description's schema: names, keys, attribute definitions, indexes and projections. */
        TABLE,
        /** Must succeed on both; the answer itself is not compared (set-up steps). */
        SUCCEEDS
    }

    /**
     * @param awsAnswer when dynalite is known to answer differently from DynamoDB: what DynamoDB answers, in the
     *                  compared (normalized) form, checked against the engine instead of dynalite's answer
     * @param source    where the difference is recorded (a public source quoting real DynamoDB)
     */
    record Step(String operation, String request, Compare compare, String awsAnswer, String source) {
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** A table with a string hash key {@code pk} and a string range key {@code sk}. */
        Builder hashRangeTable() {
            return setup("CreateTable", """
                    {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
                     "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],
                     "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}""");
        }

        /** A table with a string hash key {@code pk} only. */
        Builder hashTable() {
            return setup("CreateTable", """
                    {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
                     "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
                     "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}""");
        }

        /** Puts items (DynamoDB JSON objects) as set-up. */
        Builder items(String... items) {
            for (String item : items) {
                setup("PutItem", "{\"TableName\":\"$T\",\"Item\":" + item + "}");
            }
            return this;
        }

        Builder setup(String operation, String request) {
            steps.add(new Step(operation, request, Compare.SUCCEEDS, null, null));
            return this;
        }

        Builder same(String operation, String request) {
            steps.add(new Step(operation, request, Compare.EXACT, null, null));
            return this;
        }

        Builder sameUnordered(String operation, String request) {
            steps.add(new Step(operation, request, Compare.UNORDERED_ITEMS, null, null));
            return this;
        }

        Builder sameTable(String operation, String request) {
            steps.add(new Step(operation, request, Compare.TABLE, null, null));
            return this;
        }

        Builder sameErrorType(String operation, String request, String whyMessagesDiffer) {
            steps.add(new Step(operation, request, Compare.ERROR_TYPE, null, whyMessagesDiffer));
            return this;
        }

        /** dynalite answers differently from DynamoDB here: the engine must answer {@code awsAnswer}. */
        Builder aws(String operation, String request, String awsAnswer, String source) {
            steps.add(new Step(operation, request, Compare.EXACT, awsAnswer, source));
            return this;
        }

        /** dynalite answers differently from DynamoDB here: the engine must answer DynamoDB's error type. */
        Builder awsError(String operation, String request, String awsType, String source) {
            steps.add(new Step(operation, request, Compare.ERROR_TYPE, "{\"error\":\"" + awsType + "\"}", source));
            return this;
        }

        DiffCase build() {
            return new DiffCase(name, List.copyOf(steps));
        }
    }
}
