package dev.freight.dynamodb.limits;

import java.util.Objects;

/**
 * Capacity one request spends on one partition key value of a table or of one of its global secondary indexes.
 * A write to a table with indexes is one charge for the table plus one per index the write touches.
 *
 * @param table        table name
 * @param index        index name, or null for the base table
 * @param partitionKey canonical string of the partition key value (same value, same string)
 * @param readUnits    read capacity units (see {@link CapacityUnits})
 * @param writeUnits   write capacity units (see {@link CapacityUnits})
 */
public record Charge(String table, String index, String partitionKey, double readUnits, double writeUnits) {

    public Charge {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(partitionKey, "partitionKey");
        if (readUnits < 0 || writeUnits < 0 || Double.isNaN(readUnits) || Double.isNaN(writeUnits)) {
            throw new IllegalArgumentException("units must be >= 0");
        }
    }

    public static Charge read(String table, String index, String partitionKey, double readUnits) {
        return new Charge(table, index, partitionKey, readUnits, 0);
    }

    public static Charge write(String table, String index, String partitionKey, double writeUnits) {
        return new Charge(table, index, partitionKey, 0, writeUnits);
    }

    boolean isWrite() {
        return writeUnits > 0;
    }
}
