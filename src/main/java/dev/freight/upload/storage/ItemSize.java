package dev.freight.upload.storage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB counts for an item, so a write can be checked against its item limit before it is sent.
 * AWS, "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html): "The total size
 * of an item is the sum of the lengths of its attribute names and values"; strings count their UTF-8 bytes, binary
 * values "the value's raw byte length", numbers "(1 byte per two significant digits) + (1 byte)", null and Boolean 1
 * byte; "An attribute of type List or Map requires 3 bytes of overhead" and "Each List or Map element also requires
 * 1 byte of overhead". AWS, "Constraints in Amazon DynamoDB": "The maximum item size in DynamoDB is 400 KB" with
 * "1 KB = 1024 bytes".
 */
public final class ItemSize {

    /** DynamoDB's item limit: 400 KB of 1,024 bytes. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private static final int LIST_OR_MAP_OVERHEAD = 3;
    private static final int ELEMENT_OVERHEAD = 1;

    private ItemSize() {
    }

    /** The item's size as DynamoDB counts it: every attribute's name and value. */
    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return size;
    }

    private static long valueSize(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8Length(value.s());
            case N -> numberSize(value.n());
            case B -> value.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            // Sets: AWS names no overhead of their own; each member counts as a value of its type.
            case SS -> value.ss().stream().mapToLong(ItemSize::utf8Length).sum();
            case NS -> value.ns().stream().mapToLong(ItemSize::numberSize).sum();
            case BS -> value.bs().stream().mapToLong(bytes -> bytes.asByteArrayUnsafe().length).sum();
            case L -> LIST_OR_MAP_OVERHEAD + value.l().stream()
                    .mapToLong(element -> ELEMENT_OVERHEAD + valueSize(element)).sum();
            case M -> LIST_OR_MAP_OVERHEAD + value.m().entrySet().stream()
                    .mapToLong(entry -> ELEMENT_OVERHEAD + utf8Length(entry.getKey()) + valueSize(entry.getValue()))
                    .sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("Attribute of an unknown type: " + value);
        };
    }

    /** Leading and trailing zeroes are trimmed; one byte per two significant digits, plus one. */
    private static long numberSize(String number) {
        BigDecimal value = new BigDecimal(number);
        int significantDigits = value.signum() == 0 ? 1 : value.stripTrailingZeros().precision();
        return (significantDigits + 1) / 2 + 1;
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
