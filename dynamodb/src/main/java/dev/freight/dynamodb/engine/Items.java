package dev.freight.dynamodb.engine;

import java.util.Map;

/** Item-level rules: an item's size as DynamoDB counts it. */
public final class Items {

    /** AWS: "The maximum item size in DynamoDB is 400 KB, which includes both attribute name binary length (UTF-8
     * length) and attribute value lengths" (Service quotas, "Items"). 400 KB = 409,600 bytes.
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
    public static final long MAX_ITEM_BYTES = 400 * 1024;
    /** AWS: "The minimum length of a partition key value is 1 byte. The maximum length is 2048 bytes." */
    public static final long MAX_PARTITION_KEY_BYTES = 2048;
    /** AWS: "The minimum length of a sort key value is 1 byte. The maximum length is 1024 bytes." */
    public static final long MAX_SORT_KEY_BYTES = 1024;

    private Items() {
    }

    public static long size(Map<String, Value> item) {
        long bytes = 0;
        for (Map.Entry<String, Value> attribute : item.entrySet()) {
            bytes += Value.utf8Length(attribute.getKey()) + attribute.getValue().size();
        }
        return bytes;
    }
}
