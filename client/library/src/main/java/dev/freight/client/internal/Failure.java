package dev.freight.client.internal;

import java.io.IOException;

import dev.freight.client.FreightException;

/**
 * One failed try, as {@link RetryDecision} reads it: who answered (the service or storage), with what status, S3
 * code and {@code Retry-After}, or no answer at all; and what to throw should the decision be final.
 */
public final class Failure extends IOException {

    /** Who was asked. */
    public enum Target { SERVICE, STORAGE }

    private final Target target;
    private final int status;
    private final String code;
    private final String retryAfter;
    private final transient FreightException whenFinal;

    private Failure(Target target, int status, String code, String retryAfter, String message,
            FreightException whenFinal, Throwable cause) {
        super(message, cause);
        this.target = target;
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.whenFinal = whenFinal;
    }

    /** No answer arrived (refused, reset, timed out): whatever was sent may or may not have arrived. */
    public static Failure noAnswer(Target target, String message, IOException cause) {
        return new Failure(target, 0, null, null, message, null, cause);
    }

    /**
     * An answer with {@code status} (and S3's {@code code}, or null): {@code whenFinal} is thrown when the answer
     * allows no remedy (or no more of it).
     */
    public static Failure answer(Target target, int status, String code, String retryAfter, String message,
            FreightException whenFinal) {
        return new Failure(target, status, code, retryAfter, message, whenFinal, null);
    }

    public Target target() {
        return target;
    }

    /** The HTTP status, 0 when no answer arrived. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String retryAfter() {
        return retryAfter;
    }

    /** True when the request may have done its work although no answer said so (the page's "ambiguous"). */
    public boolean ambiguous() {
        return status == 0;
    }

    /** What to throw when nothing remedies this failure; null for those only retries remedy. */
    public FreightException whenFinal() {
        return whenFinal;
    }
}
