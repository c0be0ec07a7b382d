package dev.freight.upload.service;

import java.util.List;
import java.util.Map;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;

/**
 * The owner holds as many open uploads (or open bytes, or stored files or bytes) as its quota allows: nothing was
 * written (403).
 */
public class QuotaExceededException extends FreightException {

    public QuotaExceededException(String limit, long max, long current, long requested) {
        this(limit, max, current, requested, "complete or abort open uploads first");
    }

    private QuotaExceededException(String limit, long max, long current, long requested, String advice) {
        super(ProblemType.QUOTA_EXCEEDED, "This upload would exceed " + limit + " (" + max + "): "
                + current + " in use, " + requested + " more requested; " + advice,
                List.of(), Map.of("limit", limit, "max", max, "current", current), null);
    }

    /** The owner's stored files (with its open uploads) are at a cap on what one owner may keep. */
    public static QuotaExceededException stored(String limit, long max, long current, long requested) {
        return new QuotaExceededException(limit, max, current, requested,
                "stored files count until they are removed from storage");
    }
}
