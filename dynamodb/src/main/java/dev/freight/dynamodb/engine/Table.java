package dev.freight.dynamodb.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One table: its definition (keys, attribute types, indexes, billing, TTL) and its items with their index copies. */
final class Table {

    final String name;
    final KeySchema key;
    final Map<String, Value.Type> attributeTypes;
    final List<IndexDef> indexes;
    final double creationTime;
    String billingMode;
    long readCapacity;
    long writeCapacity;
    String ttlAttribute;
    final Partitions items = new Partitions();
    final Map<String, Partitions> indexItems = new LinkedHashMap<>();

    Table(String name, KeySchema key, Map<String, Value.Type> attributeTypes, List<IndexDef> indexes,
            double creationTime, String billingMode, long readCapacity, long writeCapacity) {
        this.name = name;
        this.key = key;
        this.attributeTypes = new LinkedHashMap<>(attributeTypes);
        this.indexes = new ArrayList<>(indexes);
        this.creationTime = creationTime;
        this.billingMode = billingMode;
        this.readCapacity = readCapacity;
        this.writeCapacity = writeCapacity;
        indexes.forEach(index -> indexItems.put(index.name(), new Partitions()));
    }

    IndexDef index(String indexName) {
        for (IndexDef index : indexes) {
            if (index.name().equals(indexName)) {
                return index;
            }
        }
        return null;
    }

    SortKey sortKey(Map<String, Value> keyOrItem) {
        return new SortKey(key.hasRange() ? keyOrItem.get(key.range()) : null, null, null);
    }

    SortKey indexSortKey(IndexDef index, Map<String, Value> item) {
        return new SortKey(index.key().hasRange() ? item.get(index.key().range()) : null, item.get(key.hash()),
                key.hasRange() ? item.get(key.range()) : null);
    }

    Map<String, Value> get(Map<String, Value> itemKey) {
        return items.get(itemKey.get(key.hash()), sortKey(itemKey));
    }

    /** Stores (or replaces) an item and keeps every index in step; answers the item it replaced, if any. */
    Map<String, Value> put(Map<String, Value> item) {
        Map<String, Value> previous = get(item);
        if (previous != null) {
            removeFromIndexes(previous);
        }
        items.put(item.get(key.hash()), sortKey(item), item, Items.size(item));
        for (IndexDef index : indexes) {
            addToIndex(index, item);
        }
        return previous;
    }

    Map<String, Value> delete(Map<String, Value> itemKey) {
        Map<String, Value> previous = get(itemKey);
        if (previous != null) {
            removeFromIndexes(previous);
            items.remove(itemKey.get(key.hash()), sortKey(itemKey));
        }
        return previous;
    }

    void addToIndex(IndexDef index, Map<String, Value> item) {
        if (index.covers(item)) {
            Map<String, Value> projected = index.project(item, key);
            indexItems.get(index.name()).put(item.get(index.key().hash()), indexSortKey(index, item), projected,
                    Items.size(projected));
        }
    }

    private void removeFromIndexes(Map<String, Value> item) {
        for (IndexDef index : indexes) {
            if (index.covers(item)) {
                indexItems.get(index.name()).remove(item.get(index.key().hash()), indexSortKey(index, item));
            }
        }
    }

    /** Adds a global secondary index and fills it from the items already stored (at once: no backfill phase). */
    void addIndex(IndexDef index) {
        indexes.add(index);
        indexItems.put(index.name(), new Partitions());
        items.byHash.values().forEach(partition -> partition.values().forEach(item -> addToIndex(index, item)));
    }

    void dropIndex(String indexName) {
        indexes.removeIf(index -> index.name().equals(indexName));
        indexItems.remove(indexName);
    }

    String arn() {
        return "arn:aws:dynamodb:ddblocal:000000000000:table/" + name;
    }

    /** The TableDescription DescribeTable answers. */
    ObjectNode describe(String status) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode table = json.objectNode();
        ArrayNode definitions = table.putArray("AttributeDefinitions");
        attributeTypes.forEach((attribute, type) -> definitions.addObject().put("AttributeName", attribute)
                .put("AttributeType", type.name()));
        table.put("TableName", name);
        table.set("KeySchema", key.toJson());
        table.put("TableStatus", status);
        table.put("CreationDateTime", creationTime);
        ObjectNode throughput = table.putObject("ProvisionedThroughput");
        throughput.put("NumberOfDecreasesToday", 0).put("ReadCapacityUnits", readCapacity)
                .put("WriteCapacityUnits", writeCapacity);
        table.put("TableSizeBytes", items.bytes);
        table.put("ItemCount", items.count);
        table.put("TableArn", arn());
        table.put("TableId", java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString());
        if ("PAY_PER_REQUEST".equals(billingMode)) {
            table.putObject("BillingModeSummary").put("BillingMode", billingMode)
                    .put("LastUpdateToPayPerRequestDateTime", creationTime);
        }
        ArrayNode global = json.arrayNode();
        ArrayNode local = json.arrayNode();
        for (IndexDef index : indexes) {
            ObjectNode node = index.toJson();
            Partitions data = indexItems.get(index.name());
            node.put("IndexSizeBytes", data.bytes).put("ItemCount", data.count).put("IndexArn",
                    arn() + "/index/" + index.name());
            if (index.global()) {
                node.put("IndexStatus", "ACTIVE");
                node.putObject("ProvisionedThroughput").put("NumberOfDecreasesToday", 0)
                        .put("ReadCapacityUnits", readCapacity).put("WriteCapacityUnits", writeCapacity);
                global.add(node);
            } else {
                local.add(node);
            }
        }
        if (!global.isEmpty()) {
            table.set("GlobalSecondaryIndexes", global);
        }
        if (!local.isEmpty()) {
            table.set("LocalSecondaryIndexes", local);
        }
        return table;
    }

    /** The definition as CreateTable takes it (what the journal stores). */
    ObjectNode definition() {
        ObjectNode node = describe("ACTIVE");
        node.remove(List.of("TableSizeBytes", "ItemCount", "TableArn", "TableId", "TableStatus"));
        node.put("BillingMode", billingMode);
        if (ttlAttribute != null) {
            node.put("TtlAttribute", ttlAttribute);
        }
        return node;
    }

    static Table fromDefinition(JsonNode node) {
        Map<String, Value.Type> types = new LinkedHashMap<>();
        node.path("AttributeDefinitions").forEach(definition -> types.put(definition.path("AttributeName").asText(),
                Value.Type.valueOf(definition.path("AttributeType").asText())));
        List<IndexDef> indexes = new ArrayList<>();
        node.path("GlobalSecondaryIndexes").forEach(index -> indexes.add(IndexDef.parse(index, types, true)));
        node.path("LocalSecondaryIndexes").forEach(index -> indexes.add(IndexDef.parse(index, types, false)));
        Table table = new Table(node.path("TableName").asText(), KeySchema.parse(node.get("KeySchema"), types, ""),
                types, indexes, node.path("CreationDateTime").asDouble(), node.path("BillingMode").asText("PROVISIONED"),
                node.path("ProvisionedThroughput").path("ReadCapacityUnits").asLong(),
                node.path("ProvisionedThroughput").path("WriteCapacityUnits").asLong());
        table.ttlAttribute = node.hasNonNull("TtlAttribute") ? node.get("TtlAttribute").asText() : null;
        return table;
    }
}
