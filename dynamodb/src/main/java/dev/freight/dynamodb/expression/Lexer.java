package dev.freight.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens: names, #name and :value references, list indexes, operators, punctuation. */
final class Lexer {

    private Lexer() {
    }

    static List<Token> tokens(String expression, String kind) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = expression.length();
        while (i < length) {
            char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || c == ':') {
                int start = i++;
                while (i < length && isNameChar(expression.charAt(i))) {
                    i++;
                }
                if (i == start + 1) {
                    throw Expressions.syntax(kind, expression, String.valueOf(c), start);
                }
                tokens.add(new Token(c == '#' ? Token.Kind.NAME_REF : Token.Kind.VALUE_REF,
                        expression.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < length && isNameChar(expression.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.NAME, expression.substring(start, i), start));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < length && Character.isDigit(expression.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.INDEX, expression.substring(start, i), start));
            } else if (c == '<' || c == '>') {
                int start = i++;
                if (i < length && (expression.charAt(i) == '=' || (c == '<' && expression.charAt(i) == '>'))) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.PUNCT, expression.substring(start, i), start));
            } else if ("=(),.[]+-".indexOf(c) >= 0) {
                tokens.add(new Token(Token.Kind.PUNCT, String.valueOf(c), i));
                i++;
            } else {
                throw Expressions.syntax(kind, expression, String.valueOf(c), i);
            }
        }
        tokens.add(new Token(Token.Kind.END, "<EOF>", length));
        return tokens;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
