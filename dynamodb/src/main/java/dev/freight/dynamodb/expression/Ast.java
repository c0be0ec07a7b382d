package dev.freight.dynamodb.expression;

import java.util.List;

/** The nodes a parsed expression is made of. */
public final class Ast {

    private Ast() {
    }

    /** A document path: top-level name, then names (map keys) and Integers (list indexes). */
    public record Path(List<Object> parts) {
        public String top() {
            return (String) parts.get(0);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Integer index) {
                    text.append('[').append(index).append(']');
                } else {
                    if (text.length() > 0) {
                        text.append('.');
                    }
                    text.append(part);
                }
            }
            return text.toString();
        }
    }

    /** Something that evaluates to a value (or to nothing: a missing attribute). */
    public sealed interface Operand permits PathOperand, ValueOperand, Size, IfNotExists, ListAppend, Arithmetic {
    }

    public record PathOperand(Path path) implements Operand {
    }

    public record ValueOperand(String reference) implements Operand {
    }

    public record Size(Path path) implements Operand {
    }

    public record IfNotExists(Path path, Operand fallback) implements Operand {
    }

    public record ListAppend(Operand first, Operand second) implements Operand {
    }

    public record Arithmetic(Operand left, char operator, Operand right) implements Operand {
    }

    /** A condition: true or false for an item. */
    public sealed interface Condition permits Comparison, Between, In, And, Or, Not, Function {
    }

    public record Comparison(Operand left, String operator, Operand right) implements Condition {
    }

    public record Between(Operand value, Operand low, Operand high) implements Condition {
    }

    public record In(Operand value, List<Operand> candidates) implements Condition {
    }

    public record And(Condition left, Condition right) implements Condition {
    }

    public record Or(Condition left, Condition right) implements Condition {
    }

    public record Not(Condition inner) implements Condition {
    }

    /** attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
    public record Function(String name, List<Operand> arguments) implements Condition {
    }

    /** One clause of an update expression. */
    public sealed interface Action permits SetAction, RemoveAction, AddAction, DeleteAction {
        Path path();
    }

    public record SetAction(Path path, Operand value) implements Action {
    }

    public record RemoveAction(Path path) implements Action {
    }

    public record AddAction(Path path, ValueOperand value) implements Action {
    }

    public record DeleteAction(Path path, ValueOperand value) implements Action {
    }
}
