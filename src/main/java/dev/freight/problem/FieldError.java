package dev.freight.problem;

/** One invalid input field, as listed in a problem's {@code errors}. */
public record FieldError(String field, String message) {
}
