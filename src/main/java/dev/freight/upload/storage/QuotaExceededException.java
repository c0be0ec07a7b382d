package dev.freight.upload.storage;

import java.util.List;
import java.util.Map;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;

/** The owner holds as many open uploads (or open bytes) as its quota allows: nothing was written (403). */
public class QuotaExceededException extends FreightException {

    public QuotaExceededException(String limit, long max, long current, long requested) {
        super(ProblemType.QUOTA_EXCEEDED, "This upload would exceed " + limit + " (" + max + "): "
                + current + " in use, " + requested + " more requested; complete or abort open uploads first",
                List.of(), Map.of("limit", limit, "max", max, "current", current), null);
    }
}
