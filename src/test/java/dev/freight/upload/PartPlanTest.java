package dev.freight.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.S3Limits;

/** Part sizing by S3's rules. */
class PartPlanTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;
    private static final long MIN = 5 * MIB;
    private static final long MAX = 5 * GIB;

    @Test
    void usesTheWishWhenItFitsTheRules() {
        PartPlan plan = PartPlan.of(GIB, 16 * MIB, MIN, MAX);
        assertThat(plan.partSize()).isEqualTo(16 * MIB);
        assertThat(plan.partCount()).isEqualTo(64);
        assertThat(plan.sizeOf(64)).isEqualTo(16 * MIB);
    }

    @Test
    void clampsTheWishToFiveMibAndFiveGib() {
        assertThat(PartPlan.of(GIB, 1, MIN, MAX).partSize()).isEqualTo(5 * MIB);
        assertThat(PartPlan.of(100 * GIB, 6 * GIB, MIN, MAX).partSize()).isEqualTo(5 * GIB);
    }

    @Test
    void growsThePartSizeSoNoFileNeedsMoreThan10000Parts() {
        long fileSize = 1024 * GIB + 7; // 1 TiB and a bit, at 16 MiB would need 65,537 parts
        PartPlan plan = PartPlan.of(fileSize, 16 * MIB, MIN, MAX);
        assertThat(plan.partCount()).isLessThanOrEqualTo(10_000);
        assertThat(plan.partSize() % MIB).isZero();
        assertThat((long) (plan.partCount() - 1) * plan.partSize() + plan.sizeOf(plan.partCount())).isEqualTo(fileSize);
        assertThat(plan.sizeOf(plan.partCount())).isPositive().isLessThanOrEqualTo(plan.partSize());
    }

    @Test
    void theLargestObjectFitsIn10000Parts() {
        PartPlan plan = PartPlan.of(S3Limits.MAX_OBJECT_SIZE, MIN, MIN, MAX);
        assertThat(plan.partCount()).isLessThanOrEqualTo(10_000);
        assertThat(plan.partSize()).isLessThanOrEqualTo(MAX);
    }

    @Test
    void lastPartHoldsTheRemainderAndSmallFilesHaveOnePart() {
        PartPlan plan = PartPlan.of(12 * MIB + 5, 5 * MIB, MIN, MAX);
        assertThat(plan.partCount()).isEqualTo(3);
        assertThat(plan.sizeOf(1)).isEqualTo(5 * MIB);
        assertThat(plan.sizeOf(3)).isEqualTo(2 * MIB + 5);
        PartPlan tiny = PartPlan.of(1, 16 * MIB, MIN, MAX);
        assertThat(tiny.partCount()).isEqualTo(1);
        assertThat(tiny.sizeOf(1)).isEqualTo(1);
        assertThat(tiny.contains(0)).isFalse();
        assertThat(tiny.contains(2)).isFalse();
    }

    @Test
    void configuredBoundsNarrowTheRange() {
        assertThat(PartPlan.of(GIB, 5 * MIB, 8 * MIB, 64 * MIB).partSize()).isEqualTo(8 * MIB);
        assertThat(PartPlan.of(GIB, 128 * MIB, 8 * MIB, 64 * MIB).partSize()).isEqualTo(64 * MIB);
    }
}
