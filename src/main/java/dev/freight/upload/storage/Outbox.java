package dev.freight.upload.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.upload.service.EventOutbox;
import dev.freight.upload.service.OutboxEntry;
import dev.freight.webhook.UploadEvent;
import dev.freight.webhook.WebhookEndpoints;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The event outbox in the uploads table: one item per (event, endpoint), put by the same transaction as the state
 * change it reports ({@link #writes}), so a crash can neither lose an event nor invent one. Due deliveries are found
 * through the deadline index under partitions of their own (shards {@value #DUE_SHARD_BASE} and up, which the
 * sweeper's queries of the deadline shards, at most 1000, never read), dead letters under shard {@value #DEAD_SHARD}: no table scan and no
 * index of its own to provision.
 */
@ApplicationScoped
public class Outbox implements EventOutbox {

    /** Outbox items share the table; their key cannot be a file id (those are UUIDs). */
    static final String KEY_PREFIX = "event#";
    static final String ENDPOINT_KEY_PREFIX = "webhook-endpoint#";
    static final int DUE_SHARD_BASE = 1000;
    /**
     * Deadline-index partitions of due deliveries: every event of every owner writes one, so, as for the deadline
     * shards, enough that none reaches a partition's write limit before the table reaches its own (docs/reliability.md
     * "Sizing the shards"). Grows only: shards 1000-1003 of earlier versions stay among them.
     */
    static final int DUE_SHARDS = 64;
    static final int DEAD_SHARD = 2000;

    static final String EVENT_ID = "event_id";
    static final String EVENT_TYPE = "event_type";
    static final String EVENT_FILE_ID = "event_file_id";
    static final String SEQUENCE = "event_sequence";
    static final String ENDPOINT = "endpoint";
    static final String BODY = "body";
    static final String ATTEMPTS = "attempts";
    static final String CREATED = "created_ms";
    static final String DUE = "due_ms";
    static final String STATE = "delivery_state";
    static final String LAST_ERROR = "last_error";
    static final String DISABLED_URL = "disabled_url";
    static final String DISABLED_AT = "disabled_at";
    private static final String PENDING = "pending";
    private static final String DEAD = "dead";

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final WebhookEndpoints endpoints;

    Outbox(DynamoDbCalls calls, WebhookEndpoints endpoints) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
        this.endpoints = endpoints;
    }

    /**
     * The deliveries of {@code event}, one per endpoint that wants its type, each held by the writing instance until
     * {@code claimedUntil} for its first attempt (past it, the lease holder takes it); none when nobody subscribes.
     */
    @Override
    public List<OutboxEntry> entries(UploadEvent event, Instant claimedUntil) {
        return endpoints.subscribers(event.type()).stream().map(endpoint -> new OutboxEntry(
                key(event.fileId(), event.sequence(), endpoint), event.id(), event.type().wireName(), event.fileId(),
                event.sequence(), endpoint, event.body(), 0, event.occurredAt(), claimedUntil, false, null)).toList();
    }

    /** The transaction items that put {@code entries} (never over an existing one). */
    public List<TransactWriteItem> writes(List<OutboxEntry> entries) {
        return entries.stream().map(entry -> TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(item(entry)).conditionExpression("attribute_not_exists(" + UploadItem.FILE_ID + ")").build())
                .build()).toList();
    }

    @Override
    public List<OutboxEntry> due(Instant now, int limit) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int shard = DUE_SHARD_BASE; shard < DUE_SHARD_BASE + DUE_SHARDS && keys.size() < limit; shard++) {
            keys.addAll(indexed(shard, "#sort <= :now", UploadItem.sortable(now), limit - keys.size(), true));
        }
        return read(keys).stream().filter(entry -> !entry.dead() && !entry.dueAt().isAfter(now))
                .sorted(Comparator.comparing(OutboxEntry::dueAt)).toList();
    }

    @Override
    public List<OutboxEntry> deadLetters(int limit) {
        List<OutboxEntry> dead = new ArrayList<>(read(indexed(DEAD_SHARD, "#sort <= :now",
                UploadItem.sortable(Instant.parse("9999-12-31T23:59:59Z")), limit, false)));
        dead.removeIf(entry -> !entry.dead());
        dead.sort(Comparator.comparing(OutboxEntry::dueAt, Comparator.reverseOrder()));
        return dead;
    }

    @Override
    public boolean claim(OutboxEntry entry, Instant until) {
        return conditionalUpdate(entry.key(), "SET #due = :until, #shard = :shard, #sort = :sort",
                "#state = :pending AND #due = :expected",
                Map.of(":until", UploadItem.number(until.toEpochMilli()), ":shard", UploadItem.number(dueShard(entry)),
                        ":sort", UploadItem.string(UploadItem.sortable(until)), ":pending", UploadItem.string(PENDING),
                        ":expected", UploadItem.number(entry.dueAt().toEpochMilli())));
    }

    @Override
    public boolean waitsForEarlier(OutboxEntry entry) {
        // An upload's events are its created event (version 1) and those of the writes that end it; the one before
        // this event is the created one or the one written with the version before (a failure the file overruled).
        for (long earlier : new long[] { 1, entry.sequence() - 1 }) {
            if (earlier < 1 || earlier >= entry.sequence()) {
                continue;
            }
            Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                    .consistentRead(true).key(keyOf(key(entry.fileId(), earlier, entry.endpoint()))))).item();
            if (item != null && PENDING.equals(text(item, STATE))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void delivered(OutboxEntry entry) {
        call(() -> dynamoDb.deleteItem(delete -> delete.tableName(table).key(keyOf(entry.key()))));
    }

    @Override
    public void retryAt(OutboxEntry entry, int attempts, Instant at, String lastError) {
        conditionalUpdate(entry.key(), "SET #due = :at, #shard = :shard, #sort = :sort, #attempts = :attempts, "
                + "#error = :error", "#state = :pending",
                Map.of(":at", UploadItem.number(at.toEpochMilli()), ":shard", UploadItem.number(dueShard(entry)),
                        ":sort", UploadItem.string(UploadItem.sortable(at)), ":attempts", UploadItem.number(attempts),
                        ":error", UploadItem.string(lastError == null ? "" : lastError),
                        ":pending", UploadItem.string(PENDING)));
    }

    @Override
    public void deadLetter(OutboxEntry entry, int attempts, Instant at, String lastError) {
        conditionalUpdate(entry.key(), "SET #state = :dead, #due = :at, #shard = :shard, #sort = :sort, "
                + "#attempts = :attempts, #error = :error", "#state = :pending",
                Map.of(":dead", UploadItem.string(DEAD), ":at", UploadItem.number(at.toEpochMilli()),
                        ":shard", UploadItem.number(DEAD_SHARD), ":sort", UploadItem.string(UploadItem.sortable(at)),
                        ":attempts", UploadItem.number(attempts),
                        ":error", UploadItem.string(lastError == null ? "" : lastError),
                        ":pending", UploadItem.string(PENDING)));
    }

    @Override
    public boolean replay(String key, Instant now) {
        if (!key.startsWith(KEY_PREFIX)) {
            return false;
        }
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                .consistentRead(true).key(keyOf(key)))).item();
        if (item == null || item.isEmpty() || !DEAD.equals(text(item, STATE))) {
            return false;
        }
        OutboxEntry entry = entry(item);
        return conditionalUpdate(key, "SET #state = :pending, #due = :at, #shard = :shard, #sort = :sort, "
                + "#attempts = :zero", "#state = :dead",
                Map.of(":pending", UploadItem.string(PENDING), ":at", UploadItem.number(now.toEpochMilli()),
                        ":shard", UploadItem.number(dueShard(entry)), ":sort", UploadItem.string(UploadItem.sortable(now)),
                        ":zero", UploadItem.number(0), ":dead", UploadItem.string(DEAD)));
    }

    @Override
    public boolean disabled(String endpoint, String url) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                .consistentRead(true).key(keyOf(ENDPOINT_KEY_PREFIX + endpoint)))).item();
        // Disabled at this URL only: pointing the endpoint elsewhere in the configuration enables it.
        return item != null && url.equals(text(item, DISABLED_URL));
    }

    @Override
    public void disable(String endpoint, String url, Instant at) {
        call(() -> dynamoDb.putItem(put -> put.tableName(table).item(Map.of(
                UploadItem.FILE_ID, UploadItem.string(ENDPOINT_KEY_PREFIX + endpoint),
                DISABLED_URL, UploadItem.string(url), DISABLED_AT, UploadItem.string(at.toString())))));
    }

    @Override
    public void enable(String endpoint) {
        call(() -> dynamoDb.deleteItem(delete -> delete.tableName(table)
                .key(keyOf(ENDPOINT_KEY_PREFIX + endpoint))));
    }

    private List<Map<String, AttributeValue>> indexed(int shard, String sortCondition, String bound, int limit,
            boolean forward) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            int wanted = limit - keys.size();
            QueryResponse page = call(() -> dynamoDb.query(query -> query.tableName(table)
                    .indexName(MetadataTable.DEADLINE_INDEX)
                    .keyConditionExpression("#shard = :shard AND " + sortCondition)
                    .expressionAttributeNames(Map.of("#shard", UploadItem.DEADLINE_SHARD, "#sort",
                            UploadItem.DEADLINE_SORT))
                    .expressionAttributeValues(Map.of(":shard", UploadItem.number(shard), ":now",
                            UploadItem.string(bound)))
                    .scanIndexForward(forward).limit(wanted).exclusiveStartKey(from)));
            page.items().forEach(item -> keys.add(Map.of(UploadItem.FILE_ID, item.get(UploadItem.FILE_ID))));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && keys.size() < limit);
        return keys;
    }

    /**
     * The items of {@code keys}, each read consistently (the index lags the table); one GetItem per key, since
     * BatchGetItem may hand keys back unprocessed under load.
     */
    private List<OutboxEntry> read(List<Map<String, AttributeValue>> keys) {
        List<OutboxEntry> entries = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(get -> get.tableName(table)
                    .consistentRead(true).key(key))).item();
            if (item != null && !item.isEmpty() && item.containsKey(EVENT_ID)) {
                entries.add(entry(item));
            }
        }
        return entries;
    }

    private boolean conditionalUpdate(String key, String update, String condition,
            Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE));
        for (String[] name : new String[][] { { "#due", DUE }, { "#shard", UploadItem.DEADLINE_SHARD },
                { "#sort", UploadItem.DEADLINE_SORT }, { "#attempts", ATTEMPTS }, { "#error", LAST_ERROR } }) {
            if (update.contains(name[0]) || condition.contains(name[0])) {
                names.put(name[0], name[1]);
            }
        }
        try {
            call(() -> dynamoDb.updateItem(change -> change.tableName(table).key(keyOf(key))
                    .updateExpression(update).conditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            return false;
        }
    }

    private static Map<String, AttributeValue> item(OutboxEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(UploadItem.FILE_ID, UploadItem.string(entry.key()));
        item.put(EVENT_ID, UploadItem.string(entry.eventId()));
        item.put(EVENT_TYPE, UploadItem.string(entry.type()));
        item.put(EVENT_FILE_ID, UploadItem.string(entry.fileId().toString()));
        item.put(SEQUENCE, UploadItem.number(entry.sequence()));
        item.put(ENDPOINT, UploadItem.string(entry.endpoint()));
        item.put(BODY, UploadItem.string(entry.body()));
        item.put(ATTEMPTS, UploadItem.number(entry.attempts()));
        item.put(CREATED, UploadItem.number(entry.createdAt().toEpochMilli()));
        item.put(DUE, UploadItem.number(entry.dueAt().toEpochMilli()));
        item.put(STATE, UploadItem.string(PENDING));
        item.put(UploadItem.DEADLINE_SHARD, UploadItem.number(dueShard(entry)));
        item.put(UploadItem.DEADLINE_SORT, UploadItem.string(UploadItem.sortable(entry.dueAt())));
        return item;
    }

    private static OutboxEntry entry(Map<String, AttributeValue> item) {
        return new OutboxEntry(text(item, UploadItem.FILE_ID), text(item, EVENT_ID), text(item, EVENT_TYPE),
                UUID.fromString(text(item, EVENT_FILE_ID)), Long.parseLong(item.get(SEQUENCE).n()),
                text(item, ENDPOINT), text(item, BODY), Integer.parseInt(item.get(ATTEMPTS).n()),
                Instant.ofEpochMilli(Long.parseLong(item.get(CREATED).n())),
                Instant.ofEpochMilli(Long.parseLong(item.get(DUE).n())), DEAD.equals(text(item, STATE)),
                item.containsKey(LAST_ERROR) && !item.get(LAST_ERROR).s().isEmpty() ? item.get(LAST_ERROR).s()
                        : null);
    }

    private static int dueShard(OutboxEntry entry) {
        // All deliveries of one upload in one shard; uploads spread over the shards.
        return DUE_SHARD_BASE + Math.floorMod(entry.fileId().hashCode(), DUE_SHARDS);
    }

    static String key(UUID fileId, long sequence, String endpoint) {
        return KEY_PREFIX + fileId + "#" + sequence + "#" + endpoint;
    }

    private static Map<String, AttributeValue> keyOf(String key) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(key));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private <T> T call(Supplier<T> dynamoDbCall) {
        return calls.call(dynamoDbCall);
    }
}
