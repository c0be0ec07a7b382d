package dev.freight.dynamodb.expression;

/** One token of an expression: its kind, its text and where it starts. */
record Token(Kind kind, String text, int position) {

    enum Kind { NAME, NAME_REF, VALUE_REF, INDEX, PUNCT, END }

    boolean is(String punctuation) {
        return kind == Kind.PUNCT && text.equals(punctuation);
    }

    boolean isWord(String word) {
        return kind == Kind.NAME && text.equalsIgnoreCase(word);
    }
}
