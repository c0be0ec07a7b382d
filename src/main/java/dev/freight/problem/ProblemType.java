package dev.freight.problem;

/** The catalogue of errors Freight answers with, each with its HTTP status. */
public enum ProblemType {
    INVALID_REQUEST(400, "Invalid request"),
    UNAUTHORIZED(401, "Unauthorized"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    UPLOAD_NOT_FOUND(404, "Upload not found"),
    INVALID_UPLOAD_STATE(409, "Upload is not in a state that allows this"),
    PARTS_MISMATCH(409, "Parts do not match what storage holds"),
    QUOTA_EXCEEDED(403, "Quota exceeded"),
    UPLOAD_REFUSED(403, "Upload refused"),
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    URI_TOO_LONG(414, "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused with another request"),
    STORAGE_UNAVAILABLE(503, "Storage unavailable"),
    INTERNAL_ERROR(500, "Internal error");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A stable identifier clients can switch on. */
    public String uri() {
        return "https://freight.dev/problems/" + name().toLowerCase().replace('_', '-');
    }
}
