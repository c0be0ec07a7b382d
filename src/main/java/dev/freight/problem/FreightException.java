package dev.freight.problem;

import java.util.List;
import java.util.Map;

/**
 * A failure the client is told about: carries its HTTP status and problem type, mapped once to
 * {@code application/problem+json} by {@link ProblemMapper}.
 */
public class FreightException extends RuntimeException {

    private final ProblemType problemType;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public FreightException(ProblemType problemType, String detail) {
        this(problemType, detail, List.of(), Map.of(), null);
    }

    public FreightException(ProblemType problemType, String detail, List<FieldError> errors) {
        this(problemType, detail, errors, Map.of(), null);
    }

    public FreightException(ProblemType problemType, String detail, List<FieldError> errors,
            Map<String, Object> extensions, Throwable cause) {
        super(detail, cause);
        this.problemType = problemType;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
    }

    public ProblemType problemType() {
        return problemType;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Problem toProblem() {
        return new Problem(problemType.uri(), problemType.title(), problemType.status(), getMessage(),
                errors.isEmpty() ? null : errors, extensions);
    }
}
