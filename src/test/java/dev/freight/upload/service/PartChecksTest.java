package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.Upload;

/** The part-list rules alone: what may be signed, what may be claimed, and whether storage holds what was sent. */
class PartChecksTest {

    private static final long MIB = 1024 * 1024;
    /** 12 MiB in parts of 5, 5 and 2 MiB. */
    private static final PartPlan PLAN = new PartPlan(12 * MIB, 5 * MIB, 3);

    @Test
    void aListToSignNamesPartsOfThePlanOnceWithDigestsExactlyWhenTheUploadHasAnAlgorithm() {
        assertThat(errors(() -> PartChecks.requireValidPartList(PLAN, ChecksumAlgorithm.SHA256, List.of(
                new PartToSign(0, "d"), new PartToSign(4, "d"), new PartToSign(2, "d"), new PartToSign(2, "d"),
                new PartToSign(3, null)))))
                .containsExactly(tuple("parts[0].part_number", "must be between 1 and 3"),
                        tuple("parts[1].part_number", "must be between 1 and 3"),
                        tuple("parts[3].part_number", "is listed twice"),
                        tuple("parts[4].checksum_sha256",
                                "is required: URLs of a SHA256 upload are signed for the part's digest"));
        assertThat(errors(() -> PartChecks.requireValidPartList(PLAN, ChecksumAlgorithm.NONE,
                List.of(new PartToSign(1, "d"))))).extracting(tuple -> tuple.toList().get(0))
                .containsExactly("parts[0].checksum_sha256");
        PartChecks.requireValidPartList(PLAN, ChecksumAlgorithm.NONE, List.of(new PartToSign(3, null)));
        PartChecks.requireValidPartList(PLAN, ChecksumAlgorithm.SHA256, List.of(new PartToSign(1, "d")));
    }

    @Test
    void theAssembledPartsAreStoragesWhenEveryPartMatchesQuotesAside() {
        Upload upload = upload(ChecksumAlgorithm.NONE);
        List<StoredPart> held = List.of(new StoredPart(1, 5 * MIB, "\"e1\"", null),
                new StoredPart(2, 5 * MIB, "\"e2\"", null), new StoredPart(3, 2 * MIB, "\"e3\"", null));
        Map<Integer, ClaimedPart> claimed = PartChecks.claimedParts(upload, List.of(new ClaimedPart(3, "e3", null),
                new ClaimedPart(1, "\"e1\"", null), new ClaimedPart(2, "e2", null)));

        assertThat(PartChecks.partsToAssemble(upload, claimed, held)).isEqualTo(held);
    }

    @Test
    void everyPartThatIsMissingOrWrongIsNamedWithWhatIsWrong() {
        Upload upload = upload(ChecksumAlgorithm.SHA256);
        List<StoredPart> held = List.of(new StoredPart(1, 5 * MIB, null, "c1"),
                new StoredPart(2, 4 * MIB, "e2", "c2"), new StoredPart(3, 2 * MIB, "e3", "c3"));
        Map<Integer, ClaimedPart> claimed = PartChecks.claimedParts(upload, List.of(new ClaimedPart(1, "e1", "c1"),
                new ClaimedPart(2, "e2", "c2"), new ClaimedPart(3, "e3", "other")));

        assertThatThrownBy(() -> PartChecks.partsToAssemble(upload, claimed, held))
                .isInstanceOfSatisfying(FreightException.class, mismatch -> {
                    assertThat(mismatch.problemType()).isEqualTo(ProblemType.PARTS_MISMATCH);
                    assertThat(mismatch.errors()).extracting(FieldError::field, FieldError::message).containsExactly(
                            // Storage reporting no ETag (a part being aborted mid-race) is a mismatch, not a crash.
                            tuple("parts[1]", "etag does not match the part storage holds"),
                            tuple("parts[2]", "size is " + 4 * MIB + " bytes, expected " + 5 * MIB),
                            tuple("parts[3]", "checksum_sha256 does not match the part storage holds"));
                    List<?> named = (List<?>) mismatch.toProblem().extensions().get("parts");
                    assertThat(named.stream().map(part -> (Object) ((Map<?, ?>) part).get("part_number")).toList())
                            .containsExactly(1, 2, 3);
                });
        assertThatThrownBy(() -> PartChecks.partsToAssemble(upload, Map.of(), List.of()))
                .isInstanceOfSatisfying(FreightException.class, mismatch -> assertThat(mismatch.errors())
                        .extracting(FieldError::message).containsOnly("missing: storage does not hold this part"));
    }

    @Test
    void whereStorageReportsNoDigestTheClientsIsUsedAndWithoutEitherThePartIsRefused() {
        Upload upload = upload(ChecksumAlgorithm.SHA256);
        List<StoredPart> held = List.of(new StoredPart(1, 5 * MIB, "e1", null),
                new StoredPart(2, 5 * MIB, "e2", null), new StoredPart(3, 2 * MIB, "e3", "c3"));

        List<StoredPart> parts = PartChecks.partsToAssemble(upload, PartChecks.claimedParts(upload, List.of(
                new ClaimedPart(1, "e1", "c1"), new ClaimedPart(2, "e2", "c2"), new ClaimedPart(3, "e3", null))),
                held);
        assertThat(parts).extracting(StoredPart::checksumSha256).containsExactly("c1", "c2", "c3");

        assertThat(errors(() -> PartChecks.partsToAssemble(upload, PartChecks.claimedParts(upload, List.of(
                new ClaimedPart(1, "e1", null), new ClaimedPart(2, "e2", "c2"), new ClaimedPart(3, "e3", "c3"))),
                held))).containsExactly(tuple("parts[1]",
                        "checksum unknown: storage reports none for this part; send its checksum_sha256"));
    }

    @Test
    void aClaimedListNamesEachPartOnceAndCarriesDigestsOnlyForASha256Upload() {
        assertThat(errors(() -> PartChecks.claimedParts(upload(ChecksumAlgorithm.NONE), List.of(
                new ClaimedPart(1, "e", "c"), new ClaimedPart(1, "e", null), new ClaimedPart(9, "e", null)))))
                .containsExactly(tuple("parts[1].part_number", "is listed twice"),
                        tuple("parts[2].part_number", "must be between 1 and 3"),
                        tuple("parts[0].checksum_sha256",
                                "must be absent: this upload was created without checksum_algorithm"));
    }

    private static List<org.assertj.core.groups.Tuple> errors(Runnable check) {
        try {
            check.run();
        } catch (FreightException refused) {
            return refused.errors().stream().map(error -> tuple(error.field(), error.message())).toList();
        }
        throw new AssertionError("expected the check to refuse");
    }

    private static Upload upload(ChecksumAlgorithm algorithm) {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        return Upload.started(UUID.randomUUID(), "alice",
                new Upload.FileFacts("f.bin", "application/octet-stream", PLAN.fileSize(), "Alice", now, null, null),
                new Upload.PartTarget("upload-1", "key", PLAN, algorithm), now, now.plusSeconds(60),
                now.plusSeconds(120), null);
    }
}
