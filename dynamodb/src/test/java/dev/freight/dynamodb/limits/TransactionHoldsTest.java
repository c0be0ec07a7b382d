package dev.freight.dynamodb.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactions holding their items, as DynamoDB's conflict handling describes it; on a clock the tests move. */
class TransactionHoldsTest {

    private final FakeClock clock = new FakeClock();
    private final TransactionHolds holds = new TransactionHolds(Duration.ofMillis(15), clock);

    @Test
    void aSecondTransactionOnAHeldItemIsCancelledWithTheConflictAtThatPosition() throws Exception {
        AutoCloseable first = holds.hold(List.of("uploads|owner-1#quota", "uploads|file-1"), true);

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> holds.hold(List.of("uploads|file-2", "uploads|owner-1#quota", "uploads|file-3"), true));

        assertThat(cancelled.reasons()).containsExactly(CancellationReason.NONE,
                new CancellationReason("TransactionConflict", "Transaction is ongoing for the item"),
                CancellationReason.NONE);
        assertThat(cancelled.getMessage()).isEqualTo("Transaction cancelled, please refer cancellation reasons for "
                + "specific reasons [None, TransactionConflict, None]");
        // The cancelled transaction holds nothing: file-2 is free for a third one.
        assertThatCode(() -> holds.hold(List.of("uploads|file-2"), true).close()).doesNotThrowAnyException();
        first.close();
    }

    @Test
    void aSingleWriteOnAHeldItemGetsTransactionConflictException() throws Exception {
        AutoCloseable transaction = holds.hold(List.of("uploads|owner-1#quota"), true);

        TransactionConflictException conflict = catchThrowableOfType(TransactionConflictException.class,
                () -> holds.hold(List.of("uploads|owner-1#quota"), false));

        assertThat(conflict.getMessage()).isEqualTo("Transaction is ongoing for the item");
        assertThat(conflict.itemKey()).isEqualTo("uploads|owner-1#quota");
        assertThatCode(() -> holds.hold(List.of("uploads|other"), false).close()).doesNotThrowAnyException();
        transaction.close();
    }

    @Test
    void singleWritesNeverConflictWithEachOtherNorHoldAnything() throws Exception {
        AutoCloseable single = holds.hold(List.of("uploads|k"), false);
        assertThatCode(() -> holds.hold(List.of("uploads|k"), false)).doesNotThrowAnyException();
        assertThatCode(() -> holds.hold(List.of("uploads|k"), true).close()).doesNotThrowAnyException();
        single.close();
    }

    @Test
    void aHoldLastsItsMinimumTimeThenEndsWithClose() throws Exception {
        AutoCloseable transaction = holds.hold(List.of("uploads|k"), true);
        transaction.close(); // the engine's transaction took microseconds; DynamoDB's takes milliseconds
        clock.advanceMillis(14);
        assertThat(conflicts("uploads|k")).isTrue();
        clock.advanceMillis(1);
        assertThat(conflicts("uploads|k")).isFalse(); // that check was itself a transaction: it holds k 15 ms
        assertThat(holds.heldItems()).isEqualTo(1);
        clock.advanceMillis(15);
        assertThat(holds.heldItems()).isZero();
    }

    @Test
    void anOpenHoldOutlivesItsMinimumTimeUntilClosed() throws Exception {
        AutoCloseable transaction = holds.hold(List.of("uploads|k"), true);
        clock.advanceMillis(1_000);
        assertThat(conflicts("uploads|k")).isTrue();
        clock.advanceMillis(1_000); // the sweep must not drop an open hold either
        assertThat(conflicts("uploads|k")).isTrue();
        transaction.close();
        assertThat(conflicts("uploads|k")).isFalse();
        clock.advanceMillis(15);
        assertThat(holds.heldItems()).isZero();
    }

    @Test
    void aZeroHoldTimeReleasesOnClose() throws Exception {
        TransactionHolds immediate = new TransactionHolds(Duration.ZERO, clock);
        AutoCloseable transaction = immediate.hold(List.of("t|k"), true);
        assertThat(catchThrowableOfType(TransactionConflictException.class, () -> immediate.hold(List.of("t|k"), false)))
                .isNotNull();
        transaction.close();
        assertThatCode(() -> immediate.hold(List.of("t|k"), false)).doesNotThrowAnyException();
    }

    @Test
    void limitsOffHoldNothing() throws Exception {
        ItemHolds none = Limits.OFF.itemHolds(clock);
        AutoCloseable first = none.hold(List.of("t|k"), true);
        assertThatCode(() -> none.hold(List.of("t|k"), true)).doesNotThrowAnyException();
        first.close();
    }

    private boolean conflicts(String itemKey) throws Exception {
        try {
            holds.hold(List.of(itemKey), true).close();
            return false;
        } catch (TransactionCanceledException e) {
            return true;
        }
    }
}
