package dev.freight.dynamodb.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * Items of a table or one index, grouped by partition key value and ordered by sort key inside each partition (the
 * order Query answers). Partitions are ordered by key value, which gives Scan a stable order to page through.
 */
final class Partitions {

    final TreeMap<Value, TreeMap<SortKey, Map<String, Value>>> byHash = new TreeMap<>(SortKey::compare);
    long count;
    long bytes;

    void put(Value hash, SortKey sort, Map<String, Value> item, long size) {
        Map<String, Value> previous = byHash.computeIfAbsent(hash, any -> new TreeMap<>()).put(sort, item);
        if (previous != null) {
            bytes -= Items.size(previous);
        } else {
            count++;
        }
        bytes += size;
    }

    void remove(Value hash, SortKey sort) {
        TreeMap<SortKey, Map<String, Value>> partition = byHash.get(hash);
        if (partition == null) {
            return;
        }
        Map<String, Value> previous = partition.remove(sort);
        if (previous != null) {
            count--;
            bytes -= Items.size(previous);
        }
        if (partition.isEmpty()) {
            byHash.remove(hash);
        }
    }

    Map<String, Value> get(Value hash, SortKey sort) {
        TreeMap<SortKey, Map<String, Value>> partition = byHash.get(hash);
        return partition == null ? null : partition.get(sort);
    }
}
