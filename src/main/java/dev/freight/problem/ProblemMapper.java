package dev.freight.problem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/** Turns every failure into an {@code application/problem+json} answer: the one place statuses are decided. */
public class ProblemMapper {

    private final RetryAfter retryAfter;

    @Inject
    ProblemMapper(RetryAfter retryAfter) {
        this.retryAfter = retryAfter;
    }

    @ServerExceptionMapper
    public Response freight(FreightException failure) {
        if (failure instanceof StorageUnavailableException) {
            // The cause names the storage call; logged without request data, which may hold signed URLs.
            Log.warnf("Storage unavailable: %s", describe(failure.getCause()));
            return respond(failure.toProblem(), Map.of(HttpHeaders.RETRY_AFTER,
                    String.valueOf(retryAfter.nextSeconds())));
        }
        if (failure.problemType() == ProblemType.INTERNAL_ERROR) {
            Log.error("Internal error", failure);
        }
        if (failure.problemType() == ProblemType.UNAUTHORIZED) {
            return respond(failure.toProblem(), Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
        }
        return respond(failure.toProblem(), Map.of());
    }

    /** A token was sent but is expired, wrongly signed, from another issuer or unreadable. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException failure) {
        ProblemType type = ProblemType.UNAUTHORIZED;
        // The reason stays in the logs at debug level: the token itself is never logged.
        Log.debugf("Bearer token rejected: %s", failure.getClass().getSimpleName());
        return respond(new Problem(type.uri(), type.title(), type.status(), "The bearer token is invalid or expired",
                null, null), Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException failure) {
        return freight(new FreightException(ProblemType.UNAUTHORIZED, "A valid bearer token is required"));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException failure) {
        return invalid("Unknown field '" + failure.getPropertyName() + "'",
                List.of(new FieldError(jsonPath(failure), "unknown field")));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException failure) {
        String field = jsonPath(failure);
        String expected = failure.getTargetType() == null ? "another type" : describeType(failure.getTargetType());
        return invalid("Field '" + field + "' has the wrong type", List.of(new FieldError(field, "must be " + expected)));
    }

    @ServerExceptionMapper
    public Response databind(JsonMappingException failure) {
        return invalid("The request body does not match the expected shape",
                List.of(new FieldError(jsonPath(failure), "invalid value")));
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException failure) {
        return invalid("The request body is not valid JSON", List.of());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException failure) {
        return invalid("The request body is not valid JSON", List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException failure) {
        int status = failure.getResponse().getStatus();
        if (status >= 500) {
            Log.error("Internal error", failure);
            return respond(internal(), Map.of());
        }
        if (failure.getCause() instanceof JsonProcessingException json) {
            return json instanceof MismatchedInputException mismatch ? mismatchedInput(mismatch) : json(json);
        }
        ProblemType type = switch (status) {
            case 401 -> ProblemType.UNAUTHORIZED;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> ProblemType.INVALID_REQUEST;
        };
        String detail = switch (status) {
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed here";
            case 406 -> "Only application/json answers are available";
            case 413 -> "The request body is too large";
            case 415 -> "Send the body as application/json";
            default -> "The request is invalid";
        };
        Map<String, String> headers = failure.getResponse().getHeaderString(HttpHeaders.ALLOW) == null ? Map.of()
                : Map.of(HttpHeaders.ALLOW, failure.getResponse().getHeaderString(HttpHeaders.ALLOW));
        return respond(new Problem(type.uri(), type.title(), status, detail, null, null), headers);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable failure) {
        Log.error("Internal error", failure);
        return respond(internal(), Map.of());
    }

    private static Problem internal() {
        ProblemType type = ProblemType.INTERNAL_ERROR;
        return new Problem(type.uri(), type.title(), type.status(), "An unexpected error occurred", null, null);
    }

    private static Response invalid(String detail, List<FieldError> errors) {
        ProblemType type = ProblemType.INVALID_REQUEST;
        return respond(new Problem(type.uri(), type.title(), type.status(), detail, errors.isEmpty() ? null : errors, null),
                Map.of());
    }

    private static Response respond(Problem problem, Map<String, String> headers) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        headers.forEach(response::header);
        return response.build();
    }

    private static String jsonPath(JsonMappingException failure) {
        String path = failure.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "body" : path;
    }

    private static String describeType(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 time";
        }
        return "an object";
    }

    private static String describe(Throwable cause) {
        return cause == null ? "unknown cause" : cause.getClass().getSimpleName();
    }
}
