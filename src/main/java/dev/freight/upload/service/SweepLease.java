package dev.freight.upload.service;

import java.time.Instant;
import java.util.Optional;

import dev.freight.upload.model.SweepCursor;

/**
 * One sweeper at a time across instances: a named lease with an expiry, held by one instance, and where the last
 * holder's walk got to. Every change is conditional, so two instances never both hold it; a holder that died
 * loses it when it expires.
 */
public interface SweepLease {

    /**
     * Takes the lease for {@code holder} until {@code until} when nobody holds it, its expiry is not after
     * {@code now}, or {@code holder} holds it already.
     *
     * @return where the last holder stopped ({@link SweepCursor#START} for a new pass), empty when another holder has
     *     the lease
     */
    Optional<SweepCursor> acquire(String name, String holder, Instant now, Instant until);

    /**
     * Stores how far the sweep got and extends the lease to {@code until}, if {@code holder} still holds it.
     *
     * @return false when another holder took the lease (the caller stops)
     */
    boolean advance(String name, String holder, SweepCursor reached, Instant until);

    /** Lets the lease end at {@code until} (now, to hand it over at once), keeping the cursor; no-op if not held. */
    void release(String name, String holder, Instant until);
}
