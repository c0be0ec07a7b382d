package dev.freight.dynamodb.limits;

import java.util.function.LongSupplier;

/** A nanosecond clock the test moves by hand, so no test sleeps. */
final class FakeClock implements LongSupplier {
    private long nanos = 1_000_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advanceMillis(long millis) {
        nanos += millis * 1_000_000L;
    }
}
