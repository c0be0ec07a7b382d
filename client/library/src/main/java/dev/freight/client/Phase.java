package dev.freight.client;

/** Where an upload or download stands. */
public enum Phase {
    /** Reading the source's identity, hashing the first parts, asking the service. */
    PREPARING,
    /** Parts on the wire. */
    TRANSFERRING,
    /** Waiting before a retry (storage or service unavailable, 429/503). */
    RETRYING,
    /** Asking the service to assemble the parts (uploads) or moving the verified file into place (downloads). */
    COMPLETING,
    DONE,
    /** Stopped by {@code cancel()} or an interrupt; resumable. */
    CANCELLED,
    /** Given up on by {@code abort()}: the service deleted its parts. */
    ABORTED,
    FAILED
}
