package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.StoredPart;

/** The plan a Companion upload's size is learnt from: the parts storage holds, cut as Uppy cuts a file. */
class CompanionPlanTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void partsOfOneSizeAndASmallerLastMakeThePlan() {
        PartPlan plan = CompanionUploads.planOf(List.of(part(1, 5 * MIB), part(2, 5 * MIB), part(3, 7)));
        assertThat(plan).isEqualTo(new PartPlan(10 * MIB + 7, 5 * MIB, 3));
        assertThat(plan.sizeOf(3)).isEqualTo(7);
        assertThat(CompanionUploads.planOf(List.of(part(1, 123)))).isEqualTo(new PartPlan(123, 123, 1));
        assertThat(CompanionUploads.planOf(List.of(part(1, 5 * MIB), part(2, 5 * MIB))))
                .isEqualTo(new PartPlan(10 * MIB, 5 * MIB, 2));
    }

    @Test
    void anythingElseIsAMismatchNamingThePart() {
        refused(List.of(), "storage holds no part");
        refused(List.of(part(1, 5 * MIB), part(3, 5 * MIB)), "part 2 is missing");
        refused(List.of(part(2, 5 * MIB)), "part 1 is missing");
        refused(List.of(part(1, 5 * MIB), part(2, 6 * MIB), part(3, 1)), "part 2 holds 6291456 bytes");
        refused(List.of(part(1, 5 * MIB), part(2, 5 * MIB + 1)), "part 2 holds 5242881 bytes");
    }

    private static void refused(List<StoredPart> held, String why) {
        assertThatThrownBy(() -> CompanionUploads.planOf(held)).isInstanceOfSatisfying(FreightException.class,
                refused -> assertThat(refused.problemType()).isEqualTo(ProblemType.PARTS_MISMATCH))
                .hasMessageContaining(why);
    }

    private static StoredPart part(int partNumber, long size) {
        return new StoredPart(partNumber, size, "\"etag-" + partNumber + "\"", null);
    }
}
