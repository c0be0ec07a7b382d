package dev.freight.dynamodb.expression;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.freight.dynamodb.engine.DynamoException;
import dev.freight.dynamodb.engine.Numbers;
import dev.freight.dynamodb.engine.Value;
import dev.freight.dynamodb.expression.Ast.Condition;
import dev.freight.dynamodb.expression.Ast.Operand;
import dev.freight.dynamodb.expression.Ast.Path;

/**
 * Evaluates conditions and operands against one item, with DynamoDB's semantics: comparing values of different
 * types is false (and {@code <>} true), a missing attribute compares false, {@code <}/{@code >} order numbers,
 * strings (UTF-8 bytes) and binaries (unsigned bytes) only.
 */
public final class Evaluator {

    private final Expressions context;

    public Evaluator(Expressions context) {
        this.context = context;
    }

    /** The value at a path in an item, or null when there is none. */
    public static Value resolve(Map<String, Value> item, Path path) {
        if (item == null) {
            return null;
        }
        Value current = item.get(path.top());
        for (int i = 1; i < path.parts().size() && current != null; i++) {
            Object part = path.parts().get(i);
            if (part instanceof Integer index) {
                current = current.type() == Value.Type.L && index < current.l().size() ? current.l().get(index) : null;
            } else {
                current = current.type() == Value.Type.M ? current.m().get((String) part) : null;
            }
        }
        return current;
    }

    public boolean test(Condition condition, Map<String, Value> item) {
        if (condition instanceof Ast.And and) {
            return test(and.left(), item) && test(and.right(), item);
        }
        if (condition instanceof Ast.Or or) {
            return test(or.left(), item) || test(or.right(), item);
        }
        if (condition instanceof Ast.Not not) {
            return !test(not.inner(), item);
        }
        if (condition instanceof Ast.Comparison comparison) {
            return compare(value(comparison.left(), item), comparison.operator(), value(comparison.right(), item));
        }
        if (condition instanceof Ast.Between between) {
            Value subject = value(between.value(), item);
            Value low = value(between.low(), item);
            Value high = value(between.high(), item);
            if (low != null && high != null && low.type() == high.type() && low.isScalarKeyType()
                    && low.compareTo(high) > 0) {
                // Quoted from DynamoDB: "Invalid ConditionExpression: The BETWEEN operator requires upper bound to
                // be greater than or equal to lower bound; lower bound operand: ..., upper bound operand: ..."
                throw DynamoException.validation("Invalid ConditionExpression: The BETWEEN operator requires upper "
                        + "bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                        + low.toMessageText() + ", upper bound operand: AttributeValue: " + high.toMessageText());
            }
            return compare(subject, ">=", low) && compare(subject, "<=", high);
        }
        if (condition instanceof Ast.In in) {
            Value subject = value(in.value(), item);
            for (Operand candidate : in.candidates()) {
                if (compare(subject, "=", value(candidate, item))) {
                    return true;
                }
            }
            return false;
        }
        Ast.Function function = (Ast.Function) condition;
        List<Operand> arguments = function.arguments();
        Value first = value(arguments.get(0), item);
        return switch (function.name()) {
            case "attribute_exists" -> first != null;
            case "attribute_not_exists" -> first == null;
            case "attribute_type" -> {
                Value type = value(arguments.get(1), item);
                if (type == null || type.type() != Value.Type.S) {
                    throw DynamoException.validation("Invalid ConditionExpression: Incorrect operand type for operator "
                            + "or function; operator or function: attribute_type, operand type: "
                            + (type == null ? "NULL" : typeName(type)));
                }
                if (java.util.Arrays.stream(Value.Type.values()).noneMatch(known -> known.name().equals(type.s()))) {
                    // DynamoDB refuses an unknown type name: "Invalid ConditionExpression: Invalid attribute type
                    // name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}" (dynalite's text).
                    throw DynamoException.validation("Invalid ConditionExpression: Invalid attribute type name found; "
                            + "type: " + type.s() + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                }
                yield first != null && first.type().name().equals(type.s());
            }
            case "begins_with" -> {
                Value prefix = value(arguments.get(1), item);
                if (first == null || prefix == null || first.type() != prefix.type()) {
                    yield false;
                }
                if (first.type() == Value.Type.S) {
                    yield first.s().startsWith(prefix.s());
                }
                if (first.type() == Value.Type.B) {
                    byte[] whole = first.b();
                    byte[] start = prefix.b();
                    yield whole.length >= start.length
                            && java.util.Arrays.equals(whole, 0, start.length, start, 0, start.length);
                }
                yield false;
            }
            default -> contains(first, value(arguments.get(1), item));
        };
    }

    private static boolean contains(Value container, Value wanted) {
        if (container == null || wanted == null) {
            return false;
        }
        switch (container.type()) {
            case S:
                return wanted.type() == Value.Type.S && container.s().contains(wanted.s());
            case SS:
            case NS:
            case BS:
                for (Object member : container.members()) {
                    if (Value.element(container.type(), member).equals(wanted)) {
                        return true;
                    }
                }
                return false;
            case L:
                return container.l().contains(wanted);
            case B:
                if (wanted.type() != Value.Type.B) {
                    return false;
                }
                return indexOf(container.b(), wanted.b()) >= 0;
            default:
                return false;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean compare(Value left, String operator, Value right) {
        if (left == null || right == null) {
            return operator.equals("<>") && (left != null || right != null);
        }
        switch (operator) {
            case "=":
                return left.equals(right);
            case "<>":
                return !left.equals(right);
            default:
                if (left.type() != right.type() || !left.isScalarKeyType()) {
                    return false;
                }
                int order = left.compareTo(right);
                return switch (operator) {
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
        }
    }

    /** The value of an operand, or null for a missing attribute. */
    public Value value(Operand operand, Map<String, Value> item) {
        if (operand instanceof Ast.PathOperand path) {
            return resolve(item, path.path());
        }
        if (operand instanceof Ast.ValueOperand reference) {
            return context.value(reference.reference());
        }
        if (operand instanceof Ast.Size size) {
            Value subject = resolve(item, size.path());
            if (subject == null) {
                return null;
            }
            // A stored N, BOOL or NULL has no size: the comparison is false, not an error (DynamoDB refuses only a
            // literal of such a type; tested on DynamoDB in scylladb/scylladb#14592).
            long length = switch (subject.type()) {
                // AWS: "If the attribute is of type String, size returns the length of the string" (characters, as
                // dynalite answers too; not its UTF-8 bytes).
                case S -> subject.s().codePointCount(0, subject.s().length());
                case B -> subject.b().length;
                case SS, NS, BS -> subject.members().size();
                case L -> subject.l().size();
                case M -> subject.m().size();
                default -> -1;
            };
            return length < 0 ? null : Value.n(BigDecimal.valueOf(length));
        }
        if (operand instanceof Ast.IfNotExists ifNotExists) {
            Value existing = resolve(item, ifNotExists.path());
            return existing != null ? existing : value(ifNotExists.fallback(), item);
        }
        if (operand instanceof Ast.ListAppend append) {
            Value first = value(append.first(), item);
            Value second = value(append.second(), item);
            checkOperand(append.first(), first, Value.Type.L, "list_append");
            checkOperand(append.second(), second, Value.Type.L, "list_append");
            List<Value> joined = new ArrayList<>(first.l());
            joined.addAll(second.l());
            return Value.l(joined);
        }
        Ast.Arithmetic arithmetic = (Ast.Arithmetic) operand;
        Value left = value(arithmetic.left(), item);
        Value right = value(arithmetic.right(), item);
        if (left == null || right == null) {
            // Quoted from DynamoDB: "The provided expression refers to an attribute that does not exist in the
            // item" (aws/aws-sdk-net#1292, the same text in a transaction's cancellation reason).
            throw DynamoException.validation("The provided expression refers to an attribute that does not exist in the item");
        }
        String operator = String.valueOf(arithmetic.operator());
        checkOperand(arithmetic.left(), left, Value.Type.N, operator);
        checkOperand(arithmetic.right(), right, Value.Type.N, operator);
        BigDecimal result = arithmetic.operator() == '+' ? left.n().add(right.n()) : left.n().subtract(right.n());
        return Value.n(Numbers.check(result));
    }

    /**
     * A literal of the wrong type is refused as DynamoDB refuses it, "Invalid UpdateExpression: Incorrect operand type
     * for operator or function; operator or function: list_append, operand type: S" (getmoto/moto#2592); a stored
     * value of the wrong type as "An operand in the update expression has an incorrect data type" (moto#1791).
     */
    private static void checkOperand(Operand operand, Value value, Value.Type wanted, String operator) {
        if (value == null) {
            throw DynamoException.validation(
                    "The provided expression refers to an attribute that does not exist in the item");
        }
        if (value.type() == wanted) {
            return;
        }
        if (operand instanceof Ast.ValueOperand) {
            throw DynamoException.validation("Invalid UpdateExpression: Incorrect operand type for operator or "
                    + "function; operator or function: " + operator + ", operand type: " + value.type().name());
        }
        throw DynamoException.validation("An operand in the update expression has an incorrect data type");
    }

    static String typeName(Value value) {
        return value.type().name();
    }
}
