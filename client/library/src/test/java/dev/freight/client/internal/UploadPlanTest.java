package dev.freight.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.freight.client.UploadOptions;

/** The plan: the part-size rule (the shared vectors hold it too, in SharedVectorsTest) and how parts are cut. */
class UploadPlanTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    @Test
    void partsCoverTheFileExactlyWithAShorterLastPart() {
        UploadPlan plan = new UploadPlan(3 * 5 * MIB + 7, 5 * MIB);
        assertThat(plan.partCount()).isEqualTo(4);
        assertThat(plan.offset(1)).isZero();
        assertThat(plan.offset(4)).isEqualTo(15 * MIB);
        assertThat(plan.length(3)).isEqualTo(5 * MIB);
        assertThat(plan.length(4)).isEqualTo(7);
        long covered = 0;
        for (int part : plan.allParts()) {
            assertThat(plan.offset(part)).isEqualTo(covered);
            covered += plan.length(part);
        }
        assertThat(covered).isEqualTo(plan.fileSize());
        assertThatThrownBy(() -> plan.length(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.offset(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyFileIsOneEmptyPartAndAFileOfWholePartsHasNoEmptyOne() {
        UploadPlan empty = new UploadPlan(0, 16 * MIB);
        assertThat(empty.partCount()).isEqualTo(1);
        assertThat(empty.length(1)).isZero();
        UploadPlan whole = new UploadPlan(32 * MIB, 16 * MIB);
        assertThat(whole.partCount()).isEqualTo(2);
        assertThat(whole.length(2)).isEqualTo(16 * MIB);
    }

    @Test
    void theFirstPartsHashedBeforeInitAreAtMostTheParallelismAndAtMostAll() {
        UploadPlan plan = UploadPlan.forFile(3 * 16 * MIB, UploadOptions.DEFAULT_PART_SIZE);
        assertThat(plan.firstParts(4)).containsExactly(1, 2, 3);
        assertThat(plan.firstParts(2)).containsExactly(1, 2);
    }

    @Test
    void aWishOutsideTheBoundsIsClampedAndAHugeFileGetsWholeMibParts() {
        assertThat(UploadPlan.partSize(1, 100 * MIB)).isEqualTo(UploadOptions.MIN_PART_SIZE);
        assertThat(UploadPlan.partSize(10 * GIB, 100 * GIB)).isEqualTo(UploadOptions.MAX_PART_SIZE);
        // 200 GiB in 16 MiB parts would be 12,800 parts: the smallest whole MiB that fits 10,000 (the service's rule).
        long size = UploadPlan.partSize(16 * MIB, 200 * GIB);
        assertThat(size).isEqualTo(21 * MIB);
        assertThat(new UploadPlan(200 * GIB, size).partCount()).isLessThanOrEqualTo(UploadOptions.MAX_PARTS);
        // Asked with its own answer the rule answers the same: init keeps the first parts' digests usable.
        assertThat(UploadPlan.partSize(size, 200 * GIB)).isEqualTo(size);
        UploadPlan fiveTib = UploadPlan.forFile(5 * 1024 * GIB, UploadOptions.DEFAULT_PART_SIZE);
        assertThat(fiveTib.partCount()).isLessThanOrEqualTo(UploadOptions.MAX_PARTS);
        assertThat(fiveTib.partSize() % MIB).isZero();
    }
}
