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
 * one 400 answer lists them (up to {@value #MAX_LISTED_ERRORS}; {@code errors_omitted} counts the rest);
 * {@link #throwIfAny()} ends the check before anything is done. The elements of a list or map over its size bound
 * are not checked: the work and the answer stay bounded whatever the body holds. A null value passes
 * every rule but {@link #required} and {@link #notBlank}: absent optional fields are allowed. The messages are the
 * ones the API has always sent (Bean Validation's English defaults).
 * <p>
 * Written out rather than left to Hibernate Validator: its factory was ~26 % of the start-up thread and its ~680
 * classes ~6 MiB of every instance's memory, for the handful of rules below (docs/BENCHMARKS.md, start-up).
 */
public final class FieldChecks {

    private static final Comparator<FieldError> BY_FIELD_THEN_MESSAGE = Comparator.comparing(FieldError::field)
            .thenComparing(FieldError::message);

    /** Rule breaks one answer lists at most; the rest are only counted ({@code errors_omitted}). */
    public static final int MAX_LISTED_ERRORS = 20;

    /** The breaks found so far, shared by a body's checks and those of its list elements. */
    private static final class Found {
        final List<FieldError> listed = new ArrayList<>();
        int omitted;
    }

    private final Found errors;
    /** For the checks of a list element: the checks of the object holding the list, its field and the index. */
    private final FieldChecks parent;
    private final String listField;
    private final int index;

    private FieldChecks(Found errors, FieldChecks parent, String listField, int index) {
        this.errors = errors;
        this.parent = parent;
        this.listField = listField;
        this.index = index;
    }

    /** Checks of a request's query, path and header parameters. */
    public static FieldChecks parameters() {
        return new FieldChecks(new Found(), null, null, 0);
    }

    /** Checks of a request body, which must be there ({@code body} otherwise), and of its fields. */
    public static FieldChecks body(ValidatedBody body) {
        FieldChecks checks = parameters();
        if (checks.required("body", body)) {
            body.checkFields(checks);
        }
        return checks;
    }

    /**
     * A list of {@code min} to {@code max} elements, each present and checked as an object of its own under
     * {@code field[index]}; the elements of a list over its bound are not looked at.
     */
    public FieldChecks list(String field, List<? extends ValidatedBody> elements, int min, int max) {
        size(field, elements, min, max);
        for (int index = 0; elements != null && elements.size() <= max && index < elements.size(); index++) {
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

    /**
     * A map of {@code min} to {@code max} entries, each checked by {@code entryRule}; the entries of a map over its
     * bound are not looked at.
     */
    public <K, V> FieldChecks map(String field, Map<K, V> value, int min, int max,
            java.util.function.BiConsumer<K, V> entryRule) {
        size(field, value, min, max);
        if (value != null && value.size() <= max) {
            value.forEach(entryRule);
        }
        return this;
    }

    /** Text that {@code pattern} matches whole. */
    public FieldChecks matches(String field, String value, Pattern pattern, String message) {
        if (value != null && !pattern.matcher(value).matches()) {
            add(field, message);
        }
        return this;
    }

    /**
     * A media type (RFC 9110 section 8.3.1) of at most {@code maxLength} characters; the syntax is read only when the
     * length holds, and in one linear pass ({@link MediaTypeSyntax}).
     */
    public FieldChecks mediaType(String field, String value, int maxLength, String message) {
        if (value == null) {
            return this;
        }
        if (value.length() > maxLength) {
            return length(field, value, 0, maxLength);
        }
        if (!MediaTypeSyntax.wellFormed(value)) {
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

    /**
     * Ends the check: a 400 problem listing the rule breaks (by field, then message), if there was one; beyond
     * {@value #MAX_LISTED_ERRORS}, {@code errors_omitted} says how many more there were.
     */
    public void throwIfAny() {
        if (errors.listed.isEmpty()) {
            return;
        }
        List<FieldError> listed = errors.listed.stream().sorted(BY_FIELD_THEN_MESSAGE).toList();
        if (errors.omitted == 0) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The request has invalid fields", listed);
        }
        throw new FreightException(ProblemType.INVALID_REQUEST, "The request has invalid fields; the first "
                + MAX_LISTED_ERRORS + " are listed, " + errors.omitted + " more are not", listed,
                Map.of("errors_omitted", errors.omitted), null);
    }

    private FieldChecks sizeBetween(String field, int size, int min, int max) {
        if (size < min || size > max) {
            add(field, "size must be between " + min + " and " + max);
        }
        return this;
    }

    private void add(String field, String message) {
        if (errors.listed.size() < MAX_LISTED_ERRORS) {
            errors.listed.add(new FieldError(path(field), message));
        } else {
            errors.omitted++;
        }
    }

    /** The JSON path of one of these checks' fields, built only for a break: a valid part list costs no strings. */
    private String path(String field) {
        return parent == null ? field : parent.path(listField + "[" + index + "]") + "." + field;
    }
}
