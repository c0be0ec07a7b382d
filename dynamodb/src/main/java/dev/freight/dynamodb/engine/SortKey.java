package dev.freight.dynamodb.engine;

/**
 * Position of an item inside one partition of a table or index: the sort key value, then (in an index, where
 * sort keys need not be unique) the table's key. Null sorts first.
 */
record SortKey(Value range, Value tableHash, Value tableRange) implements Comparable<SortKey> {

    @Override
    public int compareTo(SortKey other) {
        int order = compare(range, other.range);
        if (order != 0) {
            return order;
        }
        order = compare(tableHash, other.tableHash);
        return order != 0 ? order : compare(tableRange, other.tableRange);
    }

    static int compare(Value a, Value b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }
}
