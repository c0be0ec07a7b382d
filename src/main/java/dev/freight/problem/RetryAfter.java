package dev.freight.problem;

/** How long a client refused for a while (storage unavailable or throttling) is told to wait, in whole seconds. */
public interface RetryAfter {

    /** The {@code Retry-After} of one answer; may differ from answer to answer. */
    long nextSeconds();
}
