package dev.freight.dynamodb.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Items held by running transactions. DynamoDB keeps an item a transaction works on from other writers until the
 * transaction ends ("Transaction conflict handling in DynamoDB",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling):
 * a concurrent transaction on the item is cancelled with {@code TransactionConflict} at that item, a PutItem,
 * UpdateItem or DeleteItem on it fails with {@code TransactionConflictException}.
 *
 * <p>An in-process transaction lasts microseconds where DynamoDB's lasts milliseconds (issue 28 measured 15-50 ms), so
 * a hold lasts until it is closed and at least {@code holdTime} after it began. Single writes hold nothing: they never
 * conflict with one another on DynamoDB, and the engine makes each one atomic itself.
 */
public final class TransactionHolds implements ItemHolds {

    private static final AutoCloseable NOTHING_HELD = () -> { };
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final long holdNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Hold> held = new HashMap<>();
    private long sweptAtNanos;

    public TransactionHolds(Duration holdTime, LongSupplier nanoClock) {
        this.holdNanos = holdTime.toNanos();
        this.nanoClock = nanoClock;
        this.sweptAtNanos = nanoClock.getAsLong();
    }

    @Override
    public AutoCloseable hold(List<String> itemKeys, boolean transaction) {
        long now = nanoClock.getAsLong();
        synchronized (this) {
            sweep(now);
            List<CancellationReason> reasons = new ArrayList<>(itemKeys.size());
            boolean conflict = false;
            for (String itemKey : itemKeys) {
                Hold hold = held.get(itemKey);
                boolean busy = hold != null && hold.activeAt(now);
                if (busy && !transaction) {
                    throw new TransactionConflictException(itemKey);
                }
                conflict |= busy;
                reasons.add(busy ? CancellationReason.TRANSACTION_CONFLICT : CancellationReason.NONE);
            }
            if (conflict) {
                throw new TransactionCanceledException(reasons);
            }
            if (!transaction) {
                return NOTHING_HELD;
            }
            Hold hold = new Hold(now + holdNanos);
            for (String itemKey : itemKeys) {
                held.put(itemKey, hold);
            }
            return () -> release(hold, itemKeys);
        }
    }

    private void release(Hold hold, List<String> itemKeys) {
        long now = nanoClock.getAsLong();
        synchronized (this) {
            hold.closed = true;
            if (!hold.activeAt(now)) {
                for (String itemKey : itemKeys) {
                    held.remove(itemKey, hold);
                }
            } // else it stays until its minimum time ends; the sweep or the next look-up drops it
        }
    }

    private void sweep(long now) {
        if (now - sweptAtNanos < SWEEP_EVERY_NANOS) {
            return;
        }
        sweptAtNanos = now;
        held.values().removeIf(hold -> !hold.activeAt(now));
    }

    /** Items held now (for tests). */
    synchronized int heldItems() {
        long now = nanoClock.getAsLong();
        return (int) held.values().stream().filter(hold -> hold.activeAt(now)).count();
    }

    private static final class Hold {
        private final long minimumUntilNanos;
        private boolean closed;

        Hold(long minimumUntilNanos) {
            this.minimumUntilNanos = minimumUntilNanos;
        }

        boolean activeAt(long nowNanos) {
            return !closed || nowNanos - minimumUntilNanos < 0;
        }
    }
}
