package dev.freight.dynamodb.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One DynamoDB attribute value (S, N, B, BOOL, NULL, M, L, SS, NS, BS), immutable. Numbers are exact decimals
 * (BigDecimal, 38 significant digits as DynamoDB allows), strings sort by their UTF-8 bytes and binaries by unsigned
 * bytes, as DynamoDB sorts them.
 */
public final class Value {

    public enum Type { S, N, B, BOOL, NULL, M, L, SS, NS, BS }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Type type;
    /** String, BigDecimal, byte[], Boolean, Map<String,Value>, List<Value>, or List of String/BigDecimal/byte[]. */
    private final Object payload;

    private Value(Type type, Object payload) {
        this.type = type;
        this.payload = payload;
    }

    public static Value s(String text) {
        return new Value(Type.S, text);
    }

    public static Value n(BigDecimal number) {
        return new Value(Type.N, number);
    }

    public static Value n(String number) {
        return new Value(Type.N, Numbers.parse(number));
    }

    public static Value b(byte[] bytes) {
        return new Value(Type.B, bytes);
    }

    public static Value bool(boolean flag) {
        return new Value(Type.BOOL, flag);
    }

    public static Value nul() {
        return new Value(Type.NULL, Boolean.TRUE);
    }

    public static Value m(Map<String, Value> map) {
        return new Value(Type.M, Collections.unmodifiableMap(new LinkedHashMap<>(map)));
    }

    public static Value l(List<Value> list) {
        return new Value(Type.L, List.copyOf(list));
    }

    /** A set, its members given in any order: kept distinct and in the sort order of the element type. */
    public static Value set(Type type, List<?> members) {
        List<Object> sorted = new ArrayList<>();
        for (Object member : members) {
            if (sorted.stream().noneMatch(existing -> compareScalar(elementType(type), existing, member) == 0)) {
                sorted.add(member);
            }
        }
        sorted.sort((a, b) -> compareScalar(elementType(type), a, b));
        return new Value(type, Collections.unmodifiableList(sorted));
    }

    public Type type() {
        return type;
    }

    public String s() {
        return (String) payload;
    }

    public BigDecimal n() {
        return (BigDecimal) payload;
    }

    public byte[] b() {
        return (byte[]) payload;
    }

    public boolean bool() {
        return (Boolean) payload;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Value> m() {
        return (Map<String, Value>) payload;
    }

    @SuppressWarnings("unchecked")
    public List<Value> l() {
        return (List<Value>) payload;
    }

    @SuppressWarnings("unchecked")
    public List<Object> members() {
        return (List<Object>) payload;
    }

    public boolean isSet() {
        return type == Type.SS || type == Type.NS || type == Type.BS;
    }

    /**
     * A scalar as DynamoDB writes it inside its error messages, {@code {S:a}} or {@code {N:1}} ("lower bound operand:
     * AttributeValue: {S:b}", captured from DynamoDB by other emulators' tests, e.g. nubo-db/dynoxide#127; dynalite
     * agrees; found by the differential suite).
     */
    public String toMessageText() {
        return switch (type) {
            case S -> "{S:" + s() + "}";
            case N -> "{N:" + Numbers.format(n()) + "}";
            case B -> "{B:" + java.util.Base64.getEncoder().encodeToString(b()) + "}";
            default -> toString();
        };
    }

    public boolean isScalarKeyType() {
        return type == Type.S || type == Type.N || type == Type.B;
    }

    static Type elementType(Type setType) {
        return switch (setType) {
            case SS -> Type.S;
            case NS -> Type.N;
            case BS -> Type.B;
            default -> throw new IllegalArgumentException(setType.name());
        };
    }

    /** The element of a set as a scalar Value. */
    public static Value element(Type setType, Object member) {
        return new Value(elementType(setType), member);
    }

    public Object scalar() {
        return payload;
    }

    /** Orders two values of one scalar type (S, N or B) as DynamoDB sorts them. */
    public int compareTo(Value other) {
        return compareScalar(type, payload, other.payload);
    }

    static int compareScalar(Type type, Object a, Object b) {
        return switch (type) {
            case N -> ((BigDecimal) a).compareTo((BigDecimal) b);
            case S -> compareUtf8((String) a, (String) b);
            case B -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            default -> throw new IllegalArgumentException("not ordered: " + type);
        };
    }

    /** UTF-8 byte order equals code point order, which differs from Java's UTF-16 order above U+FFFF. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Value that) || that.type != type) {
            return false;
        }
        return switch (type) {
            case N -> n().compareTo(that.n()) == 0;
            case B -> Arrays.equals(b(), that.b());
            case SS, NS, BS -> members().size() == that.members().size()
                    && containsAll(that.members(), members());
            default -> payload.equals(that.payload);
        };
    }

    private boolean containsAll(List<Object> container, List<Object> wanted) {
        for (Object member : wanted) {
            if (container.stream().noneMatch(existing -> compareScalar(elementType(type), existing, member) == 0)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return switch (type) {
            case N -> n().stripTrailingZeros().hashCode();
            case B -> Arrays.hashCode(b());
            case SS, NS, BS -> members().size();
            default -> payload.hashCode();
        };
    }

    /** A stable text of a key value (used for canonical keys and segment hashing). */
    public String canonical() {
        return switch (type) {
            case S -> "S:" + s();
            case N -> "N:" + Numbers.format(n());
            case B -> "B:" + Base64.getEncoder().encodeToString(b());
            default -> type + ":" + toJson();
        };
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    // ---------------------------------------------------------------- size

    /**
     * Size as DynamoDB counts it (AWS docs, "Item sizes and formats"): strings their UTF-8 bytes, numbers about
     * one byte per two significant digits plus one, binaries their length, null and booleans one byte, lists and
     * maps 3 bytes plus their elements (map entries with their names) plus one byte per element.
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
     */
    public long size() {
        return switch (type) {
            case S -> utf8Length(s());
            case N -> Numbers.size(n());
            case B -> b().length;
            case BOOL, NULL -> 1;
            case SS -> members().stream().mapToLong(member -> utf8Length((String) member)).sum();
            case NS -> members().stream().mapToLong(member -> Numbers.size((BigDecimal) member)).sum();
            case BS -> members().stream().mapToLong(member -> ((byte[]) member).length).sum();
            case L -> 3 + l().stream().mapToLong(element -> element.size() + 1).sum();
            case M -> 3 + m().entrySet().stream()
                    .mapToLong(entry -> utf8Length(entry.getKey()) + entry.getValue().size() + 1).sum();
        };
    }

    public static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    // ---------------------------------------------------------------- JSON

    public JsonNode toJson() {
        ObjectNode node = JSON.objectNode();
        switch (type) {
            case S -> node.put("S", s());
            case N -> node.put("N", Numbers.format(n()));
            case B -> node.put("B", Base64.getEncoder().encodeToString(b()));
            case BOOL -> node.put("BOOL", bool());
            case NULL -> node.put("NULL", true);
            case M -> node.set("M", mapToJson(m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                l().forEach(element -> list.add(element.toJson()));
            }
            case SS -> {
                ArrayNode set = node.putArray("SS");
                members().forEach(member -> set.add((String) member));
            }
            case NS -> {
                ArrayNode set = node.putArray("NS");
                members().forEach(member -> set.add(Numbers.format((BigDecimal) member)));
            }
            case BS -> {
                ArrayNode set = node.putArray("BS");
                members().forEach(member -> set.add(Base64.getEncoder().encodeToString((byte[]) member)));
            }
        }
        return node;
    }

    public static ObjectNode mapToJson(Map<String, Value> item) {
        ObjectNode node = JSON.objectNode();
        item.forEach((name, value) -> node.set(name, value.toJson()));
        return node;
    }

    /**
     * Reads one AttributeValue object; throws the ValidationException DynamoDB answers for a malformed one.
     * Message texts as quoted from DynamoDB in public issue threads, e.g. "Supplied AttributeValue is empty, must
     * contain exactly one of the supported datatypes" (aws/aws-sdk-js#1238 and many others).
     */
    public static Value fromJson(JsonNode node) {
        if (node == null || !node.isObject() || node.size() == 0) {
            throw DynamoException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (node.size() > 1) {
            throw DynamoException.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> entry = node.fields().next();
        JsonNode content = entry.getValue();
        switch (entry.getKey()) {
            case "S":
                return s(content.asText());
            case "N":
                return n(content.asText());
            case "B":
                return b(decode(content.asText()));
            case "BOOL":
                return bool(content.asBoolean());
            case "NULL":
                if (!content.asBoolean()) {
                    throw DynamoException.validation(
                            "One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                return nul();
            case "M": {
                Map<String, Value> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = content.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    map.put(field.getKey(), fromJson(field.getValue()));
                }
                return m(map);
            }
            case "L": {
                List<Value> list = new ArrayList<>();
                content.forEach(element -> list.add(fromJson(element)));
                return l(list);
            }
            case "SS":
            case "NS":
            case "BS": {
                Type setType = Type.valueOf(entry.getKey());
                if (content.size() == 0) {
                    // "One or more parameter values were invalid: An string set  may not be empty" (sic, two
                    // spaces), quoted from DynamoDB in aws/aws-sdk-js#1224 and getmoto/moto#2400.
                    String kind = setType == Type.SS ? "string" : setType == Type.NS ? "number" : "binary";
                    throw DynamoException.validation(
                            "One or more parameter values were invalid: An " + kind + " set  may not be empty");
                }
                List<Object> members = new ArrayList<>();
                for (JsonNode member : content) {
                    Object parsed = switch (setType) {
                        case SS -> member.asText();
                        case NS -> Numbers.parse(member.asText());
                        default -> decode(member.asText());
                    };
                    for (Object existing : members) {
                        if (compareScalar(elementType(setType), existing, parsed) == 0) {
                            // Quoted from DynamoDB in aws/aws-sdk-java#1249-style threads.
                            // DynamoDB lists the members as Java does, "[x, x]" (dynalite's text; differential suite).
                            List<String> texts = new ArrayList<>();
                            content.forEach(element -> texts.add(element.asText()));
                            throw DynamoException.validation("One or more parameter values were invalid: Input collection "
                                    + "[" + String.join(", ", texts) + "] contains duplicates.");
                        }
                    }
                    members.add(parsed);
                }
                return set(setType, members);
            }
            default:
                throw DynamoException.validation(
                        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException invalid) {
            throw DynamoException.serialization("Base64 encoded length is expected a multiple of 4 bytes but found: "
                    + base64.length());
        }
    }

    public static Map<String, Value> itemFromJson(JsonNode node) {
        Map<String, Value> item = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return item;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            item.put(field.getKey(), fromJson(field.getValue()));
        }
        return item;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static final MathContext PRECISION = new MathContext(38);
}
