package dev.freight.upload.api.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;

/**
 * The rule breaks of one request, each under its field's JSON path ({@code parts[2].part_number}), collected so that
 * one 400 answer lists them all; {@link #throwIfAny()} ends the check before anything is done. A null value passes
 * every rule but {@link #required} and {@link #notBlank}: absent optional fields are allowed. The messages are the
 * ones the API has always sent (Bean Validation's English defaults).
 * <p>
 * Written out rather than left to Hibernate Validator: its factory was ~26 % of the start-up thread and its ~680
 * classes ~6 MiB of every instance's memory, for the handful of rules below (docs/BENCHMARKS.md, start-up).
 */
public final class FieldChecks {

    private static final Comparator<FieldError> BY_FIELD_THEN_MESSAGE = Comparator.comparing(FieldError::field)
            .thenComparing(FieldError::message);

    private final List<FieldError> errors;
    /** For the checks of a list element: the checks of the object holding the list, its field and the index. */
    private final FieldChecks parent;
    private final String listField;
    private final int index;

    private FieldChecks(List<FieldError> errors, FieldChecks parent, String listField, int index) {
        this.errors = errors;
        this.parent = parent;
        this.listField = listField;
        this.index = index;
    }

    /** Checks of a request's query, path and header parameters. */
    public static FieldChecks parameters() {
        return new FieldChecks(new ArrayList<>(), null, null, 0);
    }

    /** Checks of a request body, which must be there ({@code body} otherwise), and of its fields. */
    public static FieldChecks body(ValidatedBody body) {
        FieldChecks checks = parameters();
        if (checks.required("body", body)) {
            body.checkFields(checks);
        }
        return checks;
    }

    /** Each element of a list: present, and checked as an object of its own under {@code field[index]}. */
    public FieldChecks each(String field, List<? extends ValidatedBody> elements) {
        for (int index = 0; elements != null && index < elements.size(); index++) {
            ValidatedBody element = elements.get(index);
            if (element == null) {
                add(field + "[" + index + "]", "must not be null");
            } else {
                element.checkFields(new FieldChecks(errors, this, field, index));
            }
        }
        return this;
    }

    /** Whether {@code value} is there; records "must not be null" when it is not. */
    public boolean required(String field, Object value) {
        if (value == null) {
            add(field, "must not be null");
        }
        return value != null;
    }

    /** Text with something other than spaces or control characters in it (null is blank). */
    public FieldChecks notBlank(String field, String value) {
        if (value == null || value.trim().isEmpty()) {
            add(field, "must not be blank");
        }
        return this;
    }

    /** Text of {@code min} to {@code max} UTF-16 units. */
    public FieldChecks length(String field, String value, int min, int max) {
        return value == null ? this : sizeBetween(field, value.length(), min, max);
    }

    /** A list of {@code min} to {@code max} entries. */
    public FieldChecks size(String field, Collection<?> value, int min, int max) {
        return value == null ? this : sizeBetween(field, value.size(), min, max);
    }

    /** A map of {@code min} to {@code max} entries. */
    public FieldChecks size(String field, Map<?, ?> value, int min, int max) {
        return size(field, value == null ? null : value.keySet(), min, max);
    }

    /** Text that {@code pattern} matches whole. */
    public FieldChecks matches(String field, String value, Pattern pattern, String message) {
        if (value != null && !pattern.matcher(value).matches()) {
            add(field, message);
        }
        return this;
    }

    /** A number above zero. */
    public FieldChecks positive(String field, Long value) {
        if (value != null && value <= 0) {
            add(field, "must be greater than 0");
        }
        return this;
    }

    /** A number from {@code min} to {@code max}. */
    public FieldChecks between(String field, Integer value, int min, int max) {
        if (value != null && value < min) {
            add(field, "must be greater than or equal to " + min);
        } else if (value != null && value > max) {
            add(field, "must be less than or equal to " + max);
        }
        return this;
    }

    /** Text a person typed, by {@link SafeText}'s rules. */
    public FieldChecks safeText(String field, String value, int maxLength, boolean fileName) {
        String problem = value == null ? null : SafeText.problemWith(value, maxLength, fileName);
        if (problem != null) {
            add(field, problem);
        }
        return this;
    }

    /** Ends the check: a 400 problem listing every rule break (by field, then message), if there was one. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The request has invalid fields",
                    errors.stream().sorted(BY_FIELD_THEN_MESSAGE).toList());
        }
    }

    private FieldChecks sizeBetween(String field, int size, int min, int max) {
        if (size < min || size > max) {
            add(field, "size must be between " + min + " and " + max);
        }
        return this;
    }

    private void add(String field, String message) {
        errors.add(new FieldError(path(field), message));
    }

    /** The JSON path of one of these checks' fields, built only for a break: a valid part list costs no strings. */
    private String path(String field) {
        return parent == null ? field : parent.path(listField + "[" + index + "]") + "." + field;
    }
}
