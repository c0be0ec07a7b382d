package dev.freight.dynamodb.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random cases: items of random shape and type, then random conditions, filters, projections and updates over
 * them. The same seed gives the same cases, so a failure can be replayed; each case's name carries its seed.
 */
final class GeneratedCases {

    private static final String[] ATTRIBUTES = {"a1", "b2", "c3", "d4", "e5"};
    // No empty or non-ASCII strings: dynalite's size() skips "" (falsy) and counts UTF-16 units, where DynamoDB gives
    // "" a size of 0 (a hand-written case); how DynamoDB sizes non-ASCII is not settled here.
    private static final String[] STRINGS = {"a", "ab", "b", "ba", "Z", "aZ", "bb"};
    private static final String[] BINARIES = {"AQ==", "Ag==", "AQI=", "/w=="};
    private static final String[] COMPARATORS = {"=", "<>", "<", "<=", ">", ">="};
    private static final String[] TYPES = {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"};

    private GeneratedCases() {
    }

    static List<DiffCase> all(long seed, int count) {
        List<DiffCase> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(oneCase(seed + i));
        }
        return cases;
    }

    private static DiffCase oneCase(long seed) {
        Random random = new Random(seed);
        DiffCase.Builder builder = DiffCase.named("generated, seed " + seed).setup("CreateTable", """
                {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}""");
        for (int i = 0; i < 12; i++) {
            builder.items(item(random, "p" + random.nextInt(3), i - 4));
        }
        for (int op = 0; op < 12; op++) {
            switch (random.nextInt(6)) {
                case 0 -> query(random, builder);
                case 1 -> scan(random, builder);
                case 2 -> update(random, builder);
                case 3 -> conditionalPut(random, builder);
                case 4 -> conditionalDelete(random, builder);
                default -> get(random, builder);
            }
        }
        builder.sameUnordered("Scan", "{\"TableName\":\"$T\"}"); // the whole table agrees at the end
        return builder.build();
    }

    private static String key(Random random) {
        return "{\"pk\":{\"S\":\"p" + random.nextInt(3) + "\"},\"sk\":{\"N\":\"" + (random.nextInt(14) - 5) + "\"}}";
    }

    private static String item(Random random, String pk, int sk) {
        StringBuilder item = new StringBuilder("{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"N\":\"" + sk + "\"}");
        for (String attribute : ATTRIBUTES) {
            if (random.nextInt(3) > 0) {
                item.append(",\"").append(attribute).append("\":").append(value(random, 2));
            }
        }
        return item.append('}').toString();
    }

    /** A random attribute value; depth bounds nesting of lists and maps. */
    static String value(Random random, int depth) {
        String type = TYPES[random.nextInt(depth > 0 ? TYPES.length : 5)];
        return switch (type) {
            case "S" -> "{\"S\":\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"}";
            case "N" -> "{\"N\":\"" + number(random) + "\"}";
            case "B" -> "{\"B\":\"" + BINARIES[random.nextInt(BINARIES.length)] + "\"}";
            // Only true: dynalite takes a stored false for a missing value in IN and attribute_type (db/index.js
            // compare); hand-written cases hold DynamoDB's answers for false.
            case "BOOL" -> "{\"BOOL\":true}";
            case "NULL" -> "{\"NULL\":true}";
            case "L" -> {
                List<String> elements = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    elements.add(value(random, depth - 1));
                }
                yield "{\"L\":[" + String.join(",", elements) + "]}";
            }
            case "M" -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    fields.put(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)], value(random, depth - 1));
                }
                List<String> parts = new ArrayList<>();
                fields.forEach((name, v) -> parts.add("\"" + name + "\":" + v));
                yield "{\"M\":{" + String.join(",", parts) + "}}";
            }
            case "SS" -> set(random, "SS", STRINGS, 0);
            case "NS" -> "{\"NS\":[" + String.join(",", distinct(random, new String[] {"\"1\"", "\"2\"", "\"-3\"", "\"0.5\"", "\"10\""})) + "]}";
            default -> set(random, "BS", BINARIES, 0);
        };
    }

    private static String set(Random random, String type, String[] pool, int skip) {
        String[] quoted = new String[pool.length - skip];
        for (int i = skip; i < pool.length; i++) {
            quoted[i - skip] = "\"" + pool[i] + "\"";
        }
        return "{\"" + type + "\":[" + String.join(",", distinct(random, quoted)) + "]}";
    }

    private static List<String> distinct(Random random, String[] pool) {
        List<String> chosen = new ArrayList<>();
        for (String element : pool) {
            if (random.nextBoolean()) {
                chosen.add(element);
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(pool[random.nextInt(pool.length)]);
        }
        return chosen;
    }

    /** Numbers in DynamoDB's canonical form: dynalite compares expression values to stored numbers as strings. */
    private static String number(Random random) {
        java.math.BigDecimal value = switch (random.nextInt(4)) {
            case 0 -> java.math.BigDecimal.valueOf(random.nextInt(41) - 20);
            case 1 -> java.math.BigDecimal.valueOf(random.nextInt(200) - 100).divide(java.math.BigDecimal.valueOf(8));
            case 2 -> java.math.BigDecimal.ONE.scaleByPowerOfTen(random.nextInt(10) - 5);
            default -> java.math.BigDecimal.valueOf(random.nextInt(5));
        };
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** A scalar (S, N or B): what every engine orders and compares alike. */
    static String orderable(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> "{\"S\":\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"}";
            case 1 -> "{\"N\":\"" + number(random) + "\"}";
            default -> "{\"B\":\"" + BINARIES[random.nextInt(BINARIES.length)] + "\"}";
        };
    }

    /**
     * An operand for = and IN: any type but lists, maps and BOOL false. dynalite compares lists and maps by object
     * identity (always unequal) and treats a BOOL false attribute as missing in IN (db/index.js, valsEqual and
     * compare); DynamoDB compares them by value. Hand-written cases hold DynamoDB's answer for those.
     */
    static String comparable(Random random) {
        String value;
        do {
            value = value(random, 0);
        } while (value.equals("{\"BOOL\":false}"));
        return value;
    }

    /** Collects the names and values one expression uses, so the request declares exactly those. */
    private static final class Placeholders {
        private final Random random;
        private final Map<String, String> names = new LinkedHashMap<>();
        private final Map<String, String> values = new LinkedHashMap<>();

        Placeholders(Random random) {
            this.random = random;
        }

        String name(String attribute) {
            if (random.nextBoolean()) {
                return attribute;
            }
            String placeholder = "#n" + names.size();
            names.put(placeholder, attribute);
            return placeholder;
        }

        String value(String json) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, json);
            return placeholder;
        }

        String path() {
            String path = name(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)]);
            return switch (random.nextInt(5)) {
                case 0 -> path + "[" + random.nextInt(3) + "]";
                case 1 -> path + "." + name(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)]);
                default -> path;
            };
        }

        String condition(int depth) {
            int choice = random.nextInt(depth > 0 ? 12 : 8);
            return switch (choice) {
                // Ordering needs an S, N or B operand: DynamoDB refuses any other literal (a hand-written case), dynalite does not.
                case 0 -> path() + " " + COMPARATORS[2 + random.nextInt(4)] + " " + value(orderable(random));
                case 1 -> path() + " " + COMPARATORS[random.nextInt(2)] + " " + value(comparable(random));
                case 2 -> "attribute_exists(" + path() + ")";
                case 3 -> "attribute_not_exists(" + path() + ")";
                case 4 -> "attribute_type(" + path() + ", " + value("{\"S\":\"" + TYPES[random.nextInt(TYPES.length)] + "\"}") + ")";
                case 5 -> "begins_with(" + path() + ", " + value(random.nextBoolean()
                        ? "{\"S\":\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"}"
                        : "{\"B\":\"" + BINARIES[random.nextInt(BINARIES.length)] + "\"}") + ")";
                // dynalite finds only S, N and B elements (db/index.js, contains); DynamoDB any (a hand-written case).
                case 6 -> "contains(" + path() + ", " + value(orderable(random)) + ")";
                case 7 -> "size(" + path() + ") " + COMPARATORS[random.nextInt(COMPARATORS.length)] + " "
                        + value("{\"N\":\"" + random.nextInt(4) + "\"}");
                case 8 -> "(" + condition(depth - 1) + ") AND (" + condition(depth - 1) + ")";
                case 9 -> condition(depth - 1) + " OR " + condition(depth - 1);
                // NOT over a parenthesized operand: dynalite's parser refuses "NOT NOT x" (DynamoDB's grammar allows it).
                case 10 -> "NOT (" + condition(depth - 1) + ")";
                default -> {
                    if (random.nextBoolean()) {
                        int low = random.nextInt(10) - 5;
                        yield path() + " BETWEEN " + value("{\"N\":\"" + low + "\"}") + " AND "
                                + value("{\"N\":\"" + (low + random.nextInt(8)) + "\"}");
                    }
                    yield path() + " IN (" + value(comparable(random)) + ", " + value(comparable(random)) + ")";
                }
            };
        }

        /** ,"ExpressionAttributeNames":{...},"ExpressionAttributeValues":{...} as far as used. */
        String declarations() {
            StringBuilder out = new StringBuilder();
            if (!names.isEmpty()) {
                out.append(",\"ExpressionAttributeNames\":{");
                List<String> parts = new ArrayList<>();
                names.forEach((placeholder, name) -> parts.add("\"" + placeholder + "\":\"" + name + "\""));
                out.append(String.join(",", parts)).append('}');
            }
            if (!values.isEmpty()) {
                out.append(",\"ExpressionAttributeValues\":{");
                List<String> parts = new ArrayList<>();
                values.forEach((placeholder, json) -> parts.add("\"" + placeholder + "\":" + json));
                out.append(String.join(",", parts)).append('}');
            }
            return out.toString();
        }
    }

    private static void query(Random random, DiffCase.Builder builder) {
        Placeholders p = new Placeholders(random);
        String keyCondition = "pk = " + p.value("{\"S\":\"p" + random.nextInt(3) + "\"}");
        switch (random.nextInt(4)) {
            case 0 -> keyCondition += " AND sk > " + p.value("{\"N\":\"" + (random.nextInt(10) - 5) + "\"}");
            case 1 -> keyCondition += " AND sk BETWEEN " + p.value("{\"N\":\"-2\"}") + " AND " + p.value("{\"N\":\"" + random.nextInt(8) + "\"}");
            default -> { }
        }
        StringBuilder request = new StringBuilder("{\"TableName\":\"$T\",\"KeyConditionExpression\":\"" + keyCondition + "\"");
        if (random.nextBoolean()) {
            request.append(",\"FilterExpression\":\"").append(p.condition(2)).append('"');
        }
        if (random.nextInt(3) == 0) {
            request.append(",\"ProjectionExpression\":\"").append(p.path()).append(", ").append(p.path()).append('"');
        }
        if (random.nextBoolean()) {
            request.append(",\"Limit\":").append(1 + random.nextInt(4));
        }
        request.append(",\"ScanIndexForward\":").append(random.nextBoolean());
        builder.same("Query", request.append(p.declarations()).append('}').toString());
    }

    private static void scan(Random random, DiffCase.Builder builder) {
        Placeholders p = new Placeholders(random);
        StringBuilder request = new StringBuilder("{\"TableName\":\"$T\",\"FilterExpression\":\"" + p.condition(2) + "\"");
        if (random.nextInt(3) == 0) {
            request.append(",\"ProjectionExpression\":\"sk, ").append(p.path()).append('"');
        }
        builder.sameUnordered("Scan", request.append(p.declarations()).append('}').toString());
    }

    private static void update(Random random, DiffCase.Builder builder) {
        Placeholders p = new Placeholders(random);
        List<String> attributes = new ArrayList<>(List.of(ATTRIBUTES));
        java.util.Collections.shuffle(attributes, random);
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        List<String> add = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        // At most one action that can fail on the item's data: with two, which error DynamoDB reports first is not
        // documented, and dynalite and the engine may pick different ones.
        for (int i = 0, actions = 1 + random.nextInt(3); i < actions; i++) {
            String attribute = p.name(attributes.get(i));
            int action = i == 0 ? random.nextInt(8) : new int[] {0, 3, 4}[random.nextInt(3)];
            if (action == 4 && i > 0) {
                remove.add(attribute); // a top-level REMOVE never fails
                continue;
            }
            switch (action) {
                case 0 -> set.add(attribute + " = " + p.value(value(random, 2)));
                case 1 -> set.add(attribute + " = " + attribute + (random.nextBoolean() ? " + " : " - ")
                        + p.value("{\"N\":\"" + number(random) + "\"}"));
                case 2 -> set.add(attribute + " = list_append(if_not_exists(" + attribute + ", " + p.value("{\"L\":[]}") + "), "
                        + p.value("{\"L\":[" + value(random, 1) + "]}") + ")");
                case 3 -> set.add(attribute + " = if_not_exists(" + attribute + ", " + p.value(value(random, 1)) + ")");
                case 4 -> remove.add(random.nextBoolean() ? attribute : attribute + "[0]");
                case 5 -> add.add(attribute + " " + p.value(random.nextBoolean() ? "{\"N\":\"" + number(random) + "\"}" : set(random, "SS", STRINGS, 0)));
                case 6 -> delete.add(attribute + " " + p.value(set(random, "SS", STRINGS, 0)));
                default -> set.add(attribute + "." + p.name("x") + " = " + p.value(value(random, 0)));
            }
        }
        StringBuilder expression = new StringBuilder();
        if (!set.isEmpty()) expression.append("SET ").append(String.join(", ", set)).append(' ');
        if (!remove.isEmpty()) expression.append("REMOVE ").append(String.join(", ", remove)).append(' ');
        if (!add.isEmpty()) expression.append("ADD ").append(String.join(", ", add)).append(' ');
        if (!delete.isEmpty()) expression.append("DELETE ").append(String.join(", ", delete));
        StringBuilder request = new StringBuilder("{\"TableName\":\"$T\",\"Key\":" + key(random)
                + ",\"UpdateExpression\":\"" + expression.toString().trim() + "\"");
        if (random.nextBoolean()) {
            request.append(",\"ConditionExpression\":\"").append(mostlyTrue(random, p)).append('"');
        }
        String[] returnValues = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"};
        request.append(",\"ReturnValues\":\"").append(returnValues[random.nextInt(returnValues.length)]).append('"');
        builder.same("UpdateItem", request.append(p.declarations()).append('}').toString());
    }

    private static void conditionalPut(Random random, DiffCase.Builder builder) {
        Placeholders p = new Placeholders(random);
        String item = item(random, "p" + random.nextInt(3), random.nextInt(14) - 5);
        builder.same("PutItem", "{\"TableName\":\"$T\",\"Item\":" + item + ",\"ConditionExpression\":\"" + mostlyTrue(random, p)
                + "\",\"ReturnValues\":\"ALL_OLD\"" + p.declarations() + "}");
    }

    private static void conditionalDelete(Random random, DiffCase.Builder builder) {
        Placeholders p = new Placeholders(random);
        builder.same("DeleteItem", "{\"TableName\":\"$T\",\"Key\":" + key(random) + ",\"ConditionExpression\":\""
                + mostlyTrue(random, p) + "\",\"ReturnValues\":\"ALL_OLD\"" + p.declarations() + "}");
    }

    /** A random condition, half the time widened so that most writes happen and change what later steps see. */
    private static String mostlyTrue(Random random, Placeholders p) {
        String condition = p.condition(2);
        return random.nextBoolean() ? "(" + condition + ") OR attribute_exists(sk) OR attribute_not_exists(pk)" : condition;
    }

    private static void get(Random random, DiffCase.Builder builder) {
        Placeholders p = new Placeholders(random);
        String projection = random.nextBoolean() ? ",\"ProjectionExpression\":\"" + p.path() + ", " + p.path() + "\"" : "";
        builder.same("GetItem", "{\"TableName\":\"$T\",\"Key\":" + key(random) + projection + p.declarations() + "}");
    }
}
