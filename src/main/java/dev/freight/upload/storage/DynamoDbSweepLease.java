package dev.freight.upload.storage;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.service.SweepLease;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** The sweeper's lease: one item of the table per lease name, every change conditional on its holder. */
@ApplicationScoped
public class DynamoDbSweepLease implements SweepLease {

    /** Lease items share the table; their key cannot be a file id (those are UUIDs). */
    static final String LEASE_KEY_PREFIX = "lease#";
    static final String LEASE_HOLDER = "lease_holder";
    /** Epoch milliseconds after which another holder may take the lease. */
    static final String LEASE_UNTIL = "lease_until";
    static final String CURSOR_KEY = "cursor_key_marker";
    static final String CURSOR_UPLOAD_ID = "cursor_upload_id_marker";

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;

    DynamoDbSweepLease(DynamoDbCalls calls) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
    }

    @Override
    public Optional<SweepCursor> acquire(String name, String holder, Instant now, Instant until) {
        try {
            Map<String, AttributeValue> lease = calls.call(() -> dynamoDb.updateItem(update -> update.tableName(table)
                    .key(leaseKey(name))
                    .updateExpression("SET #holder = :holder, #until = :until")
                    .conditionExpression("attribute_not_exists(#holder) OR #until <= :now OR #holder = :holder")
                    .expressionAttributeNames(Map.of("#holder", LEASE_HOLDER, "#until", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":holder", UploadItem.string(holder),
                            ":until", UploadItem.number(until.toEpochMilli()),
                            ":now", UploadItem.number(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW))).attributes();
            return Optional.of(lease.containsKey(CURSOR_KEY)
                    ? new SweepCursor(lease.get(CURSOR_KEY).s(),
                            lease.containsKey(CURSOR_UPLOAD_ID) ? lease.get(CURSOR_UPLOAD_ID).s() : null)
                    : SweepCursor.START);
        } catch (ConditionalCheckFailedException heldByAnother) {
            return Optional.empty();
        }
    }

    @Override
    public boolean advance(String name, String holder, SweepCursor reached, Instant until) {
        Map<String, String> names = new HashMap<>(Map.of("#holder", LEASE_HOLDER, "#until", LEASE_UNTIL,
                "#key", CURSOR_KEY, "#uploadId", CURSOR_UPLOAD_ID));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":holder", UploadItem.string(holder),
                ":until", UploadItem.number(until.toEpochMilli())));
        String expression;
        if (reached.isStart()) {
            expression = "SET #until = :until REMOVE #key, #uploadId";
        } else if (reached.uploadIdMarker() == null) {
            values.put(":key", UploadItem.string(reached.keyMarker()));
            expression = "SET #until = :until, #key = :key REMOVE #uploadId";
        } else {
            values.put(":key", UploadItem.string(reached.keyMarker()));
            values.put(":uploadId", UploadItem.string(reached.uploadIdMarker()));
            expression = "SET #until = :until, #key = :key, #uploadId = :uploadId";
        }
        try {
            calls.call(() -> dynamoDb.updateItem(update -> update.tableName(table).key(leaseKey(name))
                    .updateExpression(expression).conditionExpression("#holder = :holder")
                    .expressionAttributeNames(names).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public void release(String name, String holder, Instant until) {
        try {
            calls.call(() -> dynamoDb.updateItem(update -> update.tableName(table).key(leaseKey(name))
                    .updateExpression("SET #until = :until").conditionExpression("#holder = :holder")
                    .expressionAttributeNames(Map.of("#holder", LEASE_HOLDER, "#until", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":holder", UploadItem.string(holder),
                            ":until", UploadItem.number(until.toEpochMilli())))));
        } catch (ConditionalCheckFailedException notHeld) {
            // Another holder has it, or nobody ever took it: nothing to give back.
        }
    }

    private static Map<String, AttributeValue> leaseKey(String name) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(LEASE_KEY_PREFIX + name));
    }
}
