package dev.freight.dynamodb.expression;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.freight.dynamodb.engine.DynamoException;
import dev.freight.dynamodb.engine.Numbers;
import dev.freight.dynamodb.engine.Value;
import dev.freight.dynamodb.expression.Ast.Action;
import dev.freight.dynamodb.expression.Ast.Path;

/**
 * Applies the actions of an update expression to an item. Every right-hand side is evaluated against the item as it
 * was before the update, as DynamoDB does; REMOVEs of list elements run last, highest index first, so the indexes
 * all refer to the list as it was.
 */
public final class Updater {

    private final Evaluator evaluator;
    private final Expressions context;

    public Updater(Expressions context) {
        this.context = context;
        this.evaluator = new Evaluator(context);
    }

    public Map<String, Value> apply(List<Action> actions, Map<String, Value> before) {
        Map<String, Value> after = new LinkedHashMap<>(before);
        List<Ast.RemoveAction> removals = new ArrayList<>();
        for (Action action : actions) {
            if (action instanceof Ast.SetAction set) {
                Value value = evaluator.value(set.value(), before);
                if (value == null) {
                    throw DynamoException.validation(
                            "The provided expression refers to an attribute that does not exist in the item");
                }
                put(after, set.path(), value);
            } else if (action instanceof Ast.AddAction add) {
                put(after, add.path(), added(Evaluator.resolve(before, add.path()), context.value(add.value().reference())));
            } else if (action instanceof Ast.DeleteAction delete) {
                Value remaining = deleted(Evaluator.resolve(before, delete.path()),
                        context.value(delete.value().reference()));
                if (remaining == null) {
                    remove(after, delete.path());
                } else {
                    put(after, delete.path(), remaining);
                }
            } else {
                removals.add((Ast.RemoveAction) action);
            }
        }
        removals.sort(Comparator.comparing((Ast.RemoveAction removal) -> lastIndex(removal.path())).reversed());
        removals.forEach(removal -> remove(after, removal.path()));
        return after;
    }

    private static int lastIndex(Path path) {
        Object last = path.parts().get(path.parts().size() - 1);
        return last instanceof Integer index ? index : -1;
    }

    /**
     * ADD on numbers and sets only: "Invalid UpdateExpression: Incorrect operand type for operator or function;
     * operator: ADD, operand type: STRING" (quoted from DynamoDB in getmoto/moto#4176).
     */
    private static Value added(Value existing, Value operand) {
        if (operand.type() == Value.Type.N) {
            if (existing == null) {
                return operand;
            }
            if (existing.type() != Value.Type.N) {
                throw storedTypeClash();
            }
            return Value.n(Numbers.check(existing.n().add(operand.n())));
        }
        if (operand.isSet()) {
            if (existing == null) {
                return operand;
            }
            if (existing.type() != operand.type()) {
                throw storedTypeClash();
            }
            List<Object> union = new ArrayList<>(existing.members());
            union.addAll(operand.members());
            return Value.set(operand.type(), union);
        }
        throw wrongOperand("ADD", operand);
    }

    private static Value deleted(Value existing, Value operand) {
        if (!operand.isSet()) {
            throw wrongOperand("DELETE", operand);
        }
        if (existing == null) {
            return null;
        }
        if (existing.type() != operand.type()) {
            throw storedTypeClash();
        }
        List<Object> remaining = new ArrayList<>();
        for (Object member : existing.members()) {
            Value element = Value.element(existing.type(), member);
            if (operand.members().stream().noneMatch(gone -> Value.element(operand.type(), gone).equals(element))) {
                remaining.add(member);
            }
        }
        return remaining.isEmpty() ? null : Value.set(existing.type(), remaining);
    }

    /**
     * A clash with the stored value (ADD to an attribute of another type): "An operand in the update expression has an
     * incorrect data type" (the ValidationError text of API_TransactWriteItems.html; the same for a single update).
     */
    static DynamoException storedTypeClash() {
        return DynamoException.validation("An operand in the update expression has an incorrect data type");
    }

    private static DynamoException wrongOperand(String operator, Value value) {
        return DynamoException.validation("Invalid UpdateExpression: Incorrect operand type for operator or function; "
                + "operator: " + operator + ", operand type: " + longTypeName(value.type()));
    }

    static String longTypeName(Value.Type type) {
        return switch (type) {
            case S -> "STRING";
            case N -> "NUMBER";
            case B -> "BINARY";
            case BOOL -> "BOOLEAN";
            case NULL -> "NULL";
            case M -> "MAP";
            case L -> "LIST";
            case SS -> "STRING SET";
            case NS -> "NUMBER SET";
            case BS -> "BINARY SET";
        };
    }

    private static void put(Map<String, Value> item, Path path, Value value) {
        List<Object> parts = path.parts();
        if (parts.size() == 1) {
            item.put(path.top(), value);
            return;
        }
        Value container = item.get(path.top());
        if (container == null) {
            throw invalidPath();
        }
        item.put(path.top(), putIn(container, parts.subList(1, parts.size()), value));
    }

    /** "The document path provided in the update expression is invalid for update" (quoted in moto#2400). */
    private static DynamoException invalidPath() {
        return DynamoException.validation("The document path provided in the update expression is invalid for update");
    }

    private static Value putIn(Value container, List<Object> parts, Value value) {
        Object part = parts.get(0);
        boolean last = parts.size() == 1;
        if (part instanceof Integer index) {
            if (container.type() != Value.Type.L) {
                throw invalidPath();
            }
            List<Value> list = new ArrayList<>(container.l());
            if (last) {
                if (index >= list.size()) {
                    list.add(value);
                } else {
                    list.set(index, value);
                }
            } else {
                if (index >= list.size()) {
                    throw invalidPath();
                }
                list.set(index, putIn(list.get(index), parts.subList(1, parts.size()), value));
            }
            return Value.l(list);
        }
        if (container.type() != Value.Type.M) {
            throw invalidPath();
        }
        Map<String, Value> map = new LinkedHashMap<>(container.m());
        if (last) {
            map.put((String) part, value);
        } else {
            Value inner = map.get(part);
            if (inner == null) {
                throw invalidPath();
            }
            map.put((String) part, putIn(inner, parts.subList(1, parts.size()), value));
        }
        return Value.m(map);
    }

    private static void remove(Map<String, Value> item, Path path) {
        List<Object> parts = path.parts();
        if (parts.size() == 1) {
            item.remove(path.top());
            return;
        }
        Value container = item.get(path.top());
        if (container == null) {
            throw invalidPath();
        }
        item.put(path.top(), removeIn(container, parts.subList(1, parts.size())));
    }

    private static Value removeIn(Value container, List<Object> parts) {
        Object part = parts.get(0);
        boolean last = parts.size() == 1;
        if (part instanceof Integer index) {
            // A list index into something that is not a list: "The document path provided in the update expression
            // is invalid for update" (a ValidationError of API_TransactWriteItems.html; dynalite answers the same).
            if (container.type() != Value.Type.L) {
                throw invalidPath();
            }
            if (index >= container.l().size()) {
                return container;
            }
            List<Value> list = new ArrayList<>(container.l());
            if (last) {
                list.remove((int) index);
            } else {
                list.set(index, removeIn(list.get(index), parts.subList(1, parts.size())));
            }
            return Value.l(list);
        }
        if (container.type() != Value.Type.M) {
            throw invalidPath();
        }
        if (!container.m().containsKey(part)) {
            return container;
        }
        Map<String, Value> map = new LinkedHashMap<>(container.m());
        if (last) {
            map.remove(part);
        } else {
            map.put((String) part, removeIn(map.get(part), parts.subList(1, parts.size())));
        }
        return Value.m(map);
    }

    /** Keeps only the projected paths of an item (ProjectionExpression). */
    public static Map<String, Value> project(Map<String, Value> item, List<Path> paths) {
        Map<String, Value> projected = new LinkedHashMap<>();
        for (Path path : paths) {
            Value value = Evaluator.resolve(item, path);
            if (value == null) {
                continue;
            }
            if (path.parts().size() == 1) {
                projected.put(path.top(), value);
            } else {
                projectInto(projected, path.parts(), value);
            }
        }
        return projected;
    }

    /** Nested projections keep the shape: a.b[1] answers {a: {b: [that element]}}. */
    private static void projectInto(Map<String, Value> target, List<Object> parts, Value value) {
        String top = (String) parts.get(0);
        target.put(top, merge(target.get(top), parts.subList(1, parts.size()), value));
    }

    private static Value merge(Value existing, List<Object> parts, Value value) {
        if (parts.isEmpty()) {
            return value;
        }
        Object part = parts.get(0);
        if (part instanceof Integer) {
            List<Value> list = new ArrayList<>(existing != null && existing.type() == Value.Type.L ? existing.l() : List.of());
            list.add(merge(null, parts.subList(1, parts.size()), value));
            return Value.l(list);
        }
        Map<String, Value> map = new LinkedHashMap<>(existing != null && existing.type() == Value.Type.M ? existing.m() : Map.of());
        map.put((String) part, merge(map.get(part), parts.subList(1, parts.size()), value));
        return Value.m(map);
    }
}
