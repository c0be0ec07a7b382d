package dev.freight.client;

/** The Freight service refused a request (a 4xx, or a 5xx after every retry), with its problem+json words. */
public class ServiceException extends FreightException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String body;

    public ServiceException(int status, String type, String title, String detail, String body, String fileId) {
        super(message(status, title, detail), fileId, null);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.body = body;
    }

    private static String message(int status, String title, String detail) {
        String words = detail != null && !detail.isEmpty() ? detail : title != null ? title : "no details";
        return "The service answered " + status + ": " + words;
    }

    public int status() {
        return status;
    }

    /** The problem type URI, or null. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The raw answer body (problem+json), for callers that need more than the detail. */
    public String body() {
        return body;
    }
}
