package dev.freight.dynamodb.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.freight.dynamodb.limits.ThrottledException.ThrottlingReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS's per-key, per-index and per-table limits divided by 400, on a clock the tests move. */
class RateLimitsTest {

    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/uploads";
    private static final String INDEX_ARN = TABLE_ARN + "/index/by-owner";

    private final FakeClock clock = new FakeClock();
    // f = 400: 2.5 write units/s and 7.5 read units/s per partition key value, 100 units/s per table; 1 s of burst.
    private final Limits limits = Limits.builder().enabled(true).scaleFactor(400).build();
    private final RateLimits gate = new RateLimits(limits, clock);

    @Test
    void aHotKeyThrottlesWhileOtherKeysOfTheTableAreServed() {
        gate.charge(List.of(Charge.write("uploads", null, "owner-1", 1)));
        gate.charge(List.of(Charge.write("uploads", null, "owner-1", 1)));

        ThrottledException refused = catchThrowableOfType(ThrottledException.class,
                () -> gate.charge(List.of(Charge.write("uploads", null, "owner-1", 1))));

        assertThat(refused.awsType()).isEqualTo("ThrottlingException");
        assertThat(refused.getMessage()).startsWith("Throughput exceeds the current capacity of your table or index.");
        assertThat(refused.reasons()).containsExactly(
                new ThrottlingReason("TableWriteKeyRangeThroughputExceeded", TABLE_ARN));
        assertThat(refused.cancellationCode()).isEqualTo("ThrottlingError");
        for (int key = 2; key <= 30; key++) {
            String other = "owner-" + key;
            assertThatCode(() -> gate.charge(List.of(Charge.write("uploads", null, other, 1)))).doesNotThrowAnyException();
        }
    }

    @Test
    void theKeyRefillsAtItsScaledRate() {
        gate.charge(List.of(Charge.write("uploads", null, "k", 2.5)));
        assertThat(throttles(Charge.write("uploads", null, "k", 1))).isTrue();

        clock.advanceMillis(399); // 0.9975 units back: not yet one
        assertThat(throttles(Charge.write("uploads", null, "k", 1))).isTrue();
        clock.advanceMillis(2);
        assertThat(throttles(Charge.write("uploads", null, "k", 1))).isFalse();
    }

    @Test
    void readsAndWritesShareAKeyAsALinearCombination() {
        // 3,000 reads or 1,000 writes a second: 6 read units take what 2 write units take (of 2.5 a second).
        gate.charge(List.of(Charge.read("uploads", null, "k", 6)));
        assertThat(throttles(Charge.write("uploads", null, "k", 1))).isTrue();
        assertThat(throttles(Charge.read("uploads", null, "k", 1.5))).isFalse();
        ThrottledException refused = catchThrowableOfType(ThrottledException.class,
                () -> gate.charge(List.of(Charge.read("uploads", null, "k", 1))));
        assertThat(refused.reasons()).extracting(ThrottlingReason::reason)
                .containsExactly("TableReadKeyRangeThroughputExceeded");
    }

    @Test
    void aHotIndexPartitionFailsTheTableWritesThatTouchItAndTheThrottledCallSpendsNothing() {
        // Two writes on different table keys that land on one index partition (one owner).
        gate.charge(List.of(Charge.write("uploads", null, "file-1", 1), Charge.write("uploads", "by-owner", "owner-1", 1)));
        gate.charge(List.of(Charge.write("uploads", null, "file-2", 1), Charge.write("uploads", "by-owner", "owner-1", 1)));

        ThrottledException refused = catchThrowableOfType(ThrottledException.class, () -> gate.charge(List.of(
                Charge.write("uploads", null, "file-3", 1), Charge.write("uploads", "by-owner", "owner-1", 1))));

        assertThat(refused.awsType()).isEqualTo("ThrottlingException");
        assertThat(refused.getMessage()).startsWith("Throughput exceeds the current capacity for one or more global secondary indexes.");
        assertThat(refused.reasons()).containsExactly(
                new ThrottlingReason("IndexWriteKeyRangeThroughputExceeded", INDEX_ARN));
        assertThat(refused.refusedCharges()).containsExactly(1); // the index charge, for a transaction's reasons
        // All or nothing: file-3's table partition kept its whole 2.5 units, the table's quota was not spent either.
        assertThat(throttles(Charge.write("uploads", null, "file-3", 2.5))).isFalse();
        // A table write that does not touch the index (another owner) goes through.
        assertThat(throttles(Charge.write("uploads", null, "file-4", 1), Charge.write("uploads", "by-owner", "owner-2", 1)))
                .isFalse();
    }

    @Test
    void theTableQuotaThrottlesEvenWhenEveryKeyIsCold() {
        // 40,000 write units / 400 = 100 a second, with one second of burst: 100 writes of 1 unit on 100 keys pass.
        for (int key = 0; key < 100; key++) {
            gate.charge(List.of(Charge.write("uploads", null, "key-" + key, 1)));
        }
        ThrottledException refused = catchThrowableOfType(ThrottledException.class,
                () -> gate.charge(List.of(Charge.write("uploads", null, "key-100", 1))));
        assertThat(refused.awsType()).isEqualTo("ThrottlingException");
        assertThat(refused.reasons()).containsExactly(new ThrottlingReason("TableWriteAccountLimitExceeded", TABLE_ARN));
        // Reads have their own quota and another table its own.
        assertThat(throttles(Charge.read("uploads", null, "key-101", 1))).isFalse();
        assertThat(throttles(Charge.write("other", null, "key-0", 1))).isFalse();
        clock.advanceMillis(10); // one unit back
        assertThat(throttles(Charge.write("uploads", null, "key-100", 1))).isFalse();
    }

    @Test
    void theTableQuotaIsConfigurable() {
        RateLimits small = new RateLimits(limits.toBuilder().tableWriteUnits(1_200).build(), clock); // 3 a second
        for (int key = 0; key < 3; key++) {
            small.charge(List.of(Charge.write("t", null, "k" + key, 1)));
        }
        assertThat(catchThrowableOfType(ThrottledException.class, () -> small.charge(List.of(Charge.write("t", null, "k9", 1))))
                .reasons()).extracting(ThrottlingReason::reason).containsExactly("TableWriteAccountLimitExceeded");
    }

    @Test
    void aProvisionedTableAnswersProvisionedThroughputExceeded() {
        gate.provision("uploads", null, 400.0, 800.0); // scaled: 1 read and 2 writes a second
        gate.charge(List.of(Charge.write("uploads", null, "a", 1), Charge.write("uploads", null, "b", 1)));
        clock.advanceMillis(1); // provisioned tables keep up to 300 s of unused capacity, but a new one starts with 1 s
        ThrottledException refused = catchThrowableOfType(ThrottledException.class,
                () -> gate.charge(List.of(Charge.write("uploads", null, "c", 1))));
        assertThat(refused.awsType()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(refused.getMessage()).isEqualTo("The level of configured provisioned throughput for the table was "
                + "exceeded. Consider increasing your provisioning level with the UpdateTable API.");
        assertThat(refused.reasons()).containsExactly(
                new ThrottlingReason("TableWriteProvisionedThroughputExceeded", TABLE_ARN));
        assertThat(refused.cancellationCode()).isEqualTo("ProvisionedThroughputExceeded");
        assertThat(refused.errorBody()).containsEntry("__type",
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
    }

    @Test
    void anItemLargerThanTheBucketPassesWhenTheKeyIsIdleAndLeavesADebt() {
        assertThat(throttles(Charge.write("uploads", null, "big", 10))).isFalse(); // 10 units > 2.5 of burst
        clock.advanceMillis(3_000); // 7.5 repaid of the 7.5 debt: back to zero, not yet enough for one unit
        assertThat(throttles(Charge.write("uploads", null, "big", 1))).isTrue();
        clock.advanceMillis(400);
        assertThat(throttles(Charge.write("uploads", null, "big", 1))).isFalse();
    }

    @Test
    void severalChargesOnOneKeyMustFitTogether() {
        gate.charge(List.of(Charge.write("uploads", null, "k", 1))); // 1.5 left
        assertThat(throttles(Charge.write("uploads", null, "k", 1), Charge.write("uploads", null, "k", 1))).isTrue();
        assertThat(throttles(Charge.write("uploads", null, "k", 1.5))).isFalse(); // nothing was spent
    }

    @Test
    void idleKeysAreForgotten() {
        for (int key = 0; key < 50; key++) {
            gate.charge(List.of(Charge.write("uploads", null, "key-" + key, 1)));
        }
        assertThat(gate.partitionBuckets()).isEqualTo(50);
        clock.advanceMillis(2_000);
        gate.charge(List.of(Charge.write("uploads", null, "fresh", 1)));
        assertThat(gate.partitionBuckets()).isEqualTo(1);
    }

    @Test
    void limitsOffNeverThrottle() {
        ThroughputGate off = Limits.OFF.throughputGate(clock);
        for (int i = 0; i < 10_000; i++) {
            off.charge(List.of(Charge.write("uploads", null, "hot", 400)));
        }
        assertThat(Limits.builder().enabled(true).build().throughputGate(clock)).isInstanceOf(RateLimits.class);
    }

    @Test
    void theErrorBodyCarriesTheThrottlingReasons() {
        gate.charge(List.of(Charge.write("uploads", null, "k", 2.5)));
        ThrottledException refused = catchThrowableOfType(ThrottledException.class,
                () -> gate.charge(List.of(Charge.write("uploads", null, "k", 1))));
        assertThat(refused.errorBody()).containsEntry("__type", "com.amazonaws.dynamodb.v20120810#ThrottlingException")
                .containsEntry("throttlingReasons",
                        List.of(java.util.Map.of("reason", "TableWriteKeyRangeThroughputExceeded", "resource", TABLE_ARN)));
    }

    private boolean throttles(Charge... charges) {
        try {
            gate.charge(List.of(charges));
            return false;
        } catch (ThrottledException e) {
            return true;
        }
    }
}
