package dev.freight.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.freight.dynamodb.engine.DynamoException;
import dev.freight.dynamodb.expression.Ast.Action;
import dev.freight.dynamodb.expression.Ast.Condition;
import dev.freight.dynamodb.expression.Ast.Operand;
import dev.freight.dynamodb.expression.Ast.Path;

/**
 * Recursive-descent parser of DynamoDB's condition, filter, key-condition, update and projection expressions
 * (grammar: AWS docs "Condition and filter expressions, operators, and functions" and "Update expressions").
 */
public final class Parser {

    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists",
            "attribute_type", "begins_with", "contains");
    private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");

    private final String expression;
    private final String kind;
    private final Expressions context;
    private final List<Token> tokens;
    private int next;

    private Parser(String expression, String kind, Expressions context) {
        this.expression = expression;
        this.kind = kind;
        this.context = context;
        if (expression.isBlank()) {
            // Quoted from DynamoDB: "Invalid ConditionExpression: The expression can not be empty;" (moto#1898).
            throw DynamoException.validation("Invalid " + kind + ": The expression can not be empty;");
        }
        this.tokens = Lexer.tokens(expression, kind);
    }

    /** kind names the request field in messages, e.g. "ConditionExpression", "FilterExpression". */
    public static Condition condition(String expression, String kind, Expressions context) {
        Parser parser = new Parser(expression, kind, context);
        Condition condition = parser.orCondition();
        parser.expectEnd();
        return condition;
    }

    public static List<Action> update(String expression, Expressions context) {
        Parser parser = new Parser(expression, "UpdateExpression", context);
        return parser.updateClauses();
    }

    public static List<Path> projection(String expression, Expressions context) {
        Parser parser = new Parser(expression, "ProjectionExpression", context);
        List<Path> paths = new ArrayList<>();
        do {
            paths.add(parser.path());
        } while (parser.accept(","));
        parser.expectEnd();
        parser.checkOverlaps(paths);
        return paths;
    }

    // ------------------------------------------------------------ conditions

    private Condition orCondition() {
        Condition left = andCondition();
        while (peek().isWord("OR")) {
            next++;
            left = new Ast.Or(left, andCondition());
        }
        return left;
    }

    private Condition andCondition() {
        Condition left = notCondition();
        while (peek().isWord("AND")) {
            next++;
            left = new Ast.And(left, notCondition());
        }
        return left;
    }

    private Condition notCondition() {
        if (peek().isWord("NOT")) {
            next++;
            return new Ast.Not(notCondition());
        }
        return primaryCondition();
    }

    private Condition primaryCondition() {
        Token token = peek();
        if (token.is("(")) {
            next++;
            Condition inner = orCondition();
            expect(")");
            return inner;
        }
        if (token.kind() == Token.Kind.NAME && peekAt(1).is("(")) {
            String function = token.text().toLowerCase(Locale.ROOT);
            if (CONDITION_FUNCTIONS.contains(token.text())) {
                next += 2;
                List<Operand> arguments = new ArrayList<>();
                if (!peek().is(")")) {
                    do {
                        arguments.add(conditionOperand());
                    } while (accept(","));
                }
                expect(")");
                checkFunction(token.text(), arguments);
                return new Ast.Function(token.text(), arguments);
            }
            if (!function.equals("size")) {
                // Quoted from DynamoDB: "Invalid ConditionExpression: Invalid function name; function: foo".
                throw DynamoException.validation("Invalid " + kind + ": Invalid function name; function: " + token.text());
            }
        }
        Operand left = conditionOperand();
        Token operator = peek();
        if (operator.kind() == Token.Kind.PUNCT && COMPARATORS.contains(operator.text())) {
            next++;
            return new Ast.Comparison(left, operator.text(), conditionOperand());
        }
        if (operator.isWord("BETWEEN")) {
            next++;
            Operand low = conditionOperand();
            if (!peek().isWord("AND")) {
                throw unexpected(peek());
            }
            next++;
            return new Ast.Between(left, low, conditionOperand());
        }
        if (operator.isWord("IN")) {
            next++;
            expect("(");
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(conditionOperand());
            } while (accept(","));
            expect(")");
            return new Ast.In(left, candidates);
        }
        throw unexpected(operator);
    }

    private void checkFunction(String function, List<Operand> arguments) {
        int wanted = switch (function) {
            case "attribute_exists", "attribute_not_exists" -> 1;
            default -> 2;
        };
        if (arguments.size() != wanted) {
            // Quoted from DynamoDB: "Invalid ConditionExpression: Incorrect number of operands for operator or
            // function; operator or function: begins_with, number of operands: 1" (moto#3561).
            throw DynamoException.validation("Invalid " + kind
                    + ": Incorrect number of operands for operator or function; operator or function: " + function
                    + ", number of operands: " + arguments.size());
        }
        if (!(arguments.get(0) instanceof Ast.PathOperand) && !function.equals("begins_with")
                && !function.equals("contains")) {
            // "Operator or function requires a document path; operator or function: attribute_exists".
            throw DynamoException.validation("Invalid " + kind
                    + ": Operator or function requires a document path; operator or function: " + function);
        }
    }

    /** A path, a :value or size(path). */
    private Operand conditionOperand() {
        Token token = peek();
        if (token.kind() == Token.Kind.VALUE_REF) {
            next++;
            context.useValue(token.text(), kind);
            return new Ast.ValueOperand(token.text());
        }
        if (token.kind() == Token.Kind.NAME && peekAt(1).is("(")) {
            if (token.text().equals("size")) {
                next += 2;
                Path path = path();
                expect(")");
                return new Ast.Size(path);
            }
            // A condition function in operand position, e.g. "attribute_exists(a) = :v".
            throw DynamoException.validation("Invalid " + kind
                    + ": The function is not allowed to be used this way in an expression; function: " + token.text());
        }
        return new Ast.PathOperand(path());
    }

    // ------------------------------------------------------------ update

    private List<Action> updateClauses() {
        List<Action> actions = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        while (peek().kind() != Token.Kind.END) {
            Token clause = peek();
            String name = clause.text().toUpperCase(Locale.ROOT);
            if (clause.kind() != Token.Kind.NAME || !Set.of("SET", "REMOVE", "ADD", "DELETE").contains(name)) {
                throw unexpected(clause);
            }
            if (!seen.add(name)) {
                // Quoted from DynamoDB: "Invalid UpdateExpression: The \"SET\" section can only be used once in an
                // update expression;" (getmoto/moto#3584).
                throw DynamoException.validation("Invalid UpdateExpression: The \"" + name
                        + "\" section can only be used once in an update expression;");
            }
            next++;
            do {
                Path path = path();
                switch (name) {
                    case "SET" -> {
                        expect("=");
                        actions.add(new Ast.SetAction(path, setValue()));
                    }
                    case "REMOVE" -> actions.add(new Ast.RemoveAction(path));
                    case "ADD" -> actions.add(new Ast.AddAction(path, valueReference()));
                    default -> actions.add(new Ast.DeleteAction(path, valueReference()));
                }
            } while (accept(","));
        }
        checkOverlaps(actions.stream().map(Action::path).toList());
        return actions;
    }

    /**
     * DynamoDB refuses two actions, or two projected paths, on one path or on nested paths: "Invalid UpdateExpression:
     * Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two:
     * [a, b]" (getmoto/moto#3406); the same words for a ProjectionExpression (real DynamoDB quoted in
     * hashicorp/terraform-provider-aws#24683; found by the differential suite against dynalite).
     */
    private void checkOverlaps(List<Path> paths) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                List<Object> one = paths.get(i).parts();
                List<Object> two = paths.get(j).parts();
                int common = Math.min(one.size(), two.size());
                if (one.subList(0, common).equals(two.subList(0, common))) {
                    throw DynamoException.validation("Invalid " + kind + ": Two document paths overlap with each "
                            + "other; must remove or rewrite one of these paths; path one: " + bracketed(one)
                            + ", path two: " + bracketed(two));
                }
            }
        }
    }

    private static String bracketed(List<Object> parts) {
        List<String> texts = new ArrayList<>();
        parts.forEach(part -> texts.add(part instanceof Integer index ? "[" + index + "]" : part.toString()));
        return "[" + String.join(", ", texts) + "]";
    }

    private Ast.ValueOperand valueReference() {
        Token token = peek();
        if (token.kind() != Token.Kind.VALUE_REF) {
            throw unexpected(token);
        }
        next++;
        context.useValue(token.text(), kind);
        return new Ast.ValueOperand(token.text());
    }

    private Operand setValue() {
        Operand left = setTerm();
        Token operator = peek();
        if (operator.is("+") || operator.is("-")) {
            next++;
            return new Ast.Arithmetic(left, operator.text().charAt(0), setTerm());
        }
        return left;
    }

    private Operand setTerm() {
        Token token = peek();
        if (token.kind() == Token.Kind.VALUE_REF) {
            next++;
            context.useValue(token.text(), kind);
            return new Ast.ValueOperand(token.text());
        }
        if (token.kind() == Token.Kind.NAME && peekAt(1).is("(")) {
            next += 2;
            Operand result;
            switch (token.text()) {
                case "if_not_exists" -> {
                    Path path = path();
                    expect(",");
                    result = new Ast.IfNotExists(path, setTerm());
                }
                case "list_append" -> {
                    Operand first = setTerm();
                    expect(",");
                    result = new Ast.ListAppend(first, setTerm());
                }
                default -> {
                    if (CONDITION_FUNCTIONS.contains(token.text()) || token.text().equals("size")) {
                        throw DynamoException.validation("Invalid UpdateExpression: The function is not allowed in "
                                + "an update expression; function: " + token.text());
                    }
                    throw DynamoException.validation("Invalid UpdateExpression: Invalid function name; function: "
                            + token.text());
                }
            }
            expect(")");
            return result;
        }
        return new Ast.PathOperand(path());
    }

    // ------------------------------------------------------------ paths

    private Path path() {
        List<Object> parts = new ArrayList<>();
        parts.add(pathName());
        while (true) {
            if (peek().is(".")) {
                next++;
                parts.add(pathName());
            } else if (peek().is("[")) {
                next++;
                Token index = peek();
                if (index.kind() != Token.Kind.INDEX) {
                    throw unexpected(index);
                }
                next++;
                expect("]");
                parts.add(Integer.parseInt(index.text()));
            } else {
                return new Path(List.copyOf(parts));
            }
        }
    }

    private String pathName() {
        Token token = peek();
        if (token.kind() == Token.Kind.NAME_REF) {
            next++;
            return context.resolveName(token.text(), kind);
        }
        if (token.kind() == Token.Kind.NAME) {
            if (ReservedWords.contains(token.text())) {
                // "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"
                // (truora/minidyn#61, aws/aws-sdk-php#1233, sensedeep/dynamodb-onetable#242).
                throw DynamoException.validation("Invalid " + kind
                        + ": Attribute name is a reserved keyword; reserved keyword: " + token.text());
            }
            next++;
            return token.text();
        }
        throw unexpected(token);
    }

    // ------------------------------------------------------------ tokens

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private boolean accept(String punctuation) {
        if (peek().is(punctuation)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String punctuation) {
        if (!accept(punctuation)) {
            throw unexpected(peek());
        }
    }

    private void expectEnd() {
        if (peek().kind() != Token.Kind.END) {
            throw unexpected(peek());
        }
    }

    private DynamoException unexpected(Token token) {
        return Expressions.syntax(kind, expression, token.text(), token.position());
    }
}
