package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.problem.StorageUnavailableException;
import dev.freight.support.MutableClock;
import dev.freight.support.TestConfig;
import dev.freight.support.TestFiles;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.SignedPart;
import dev.freight.upload.model.StartedUpload;
import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadProgress;
import dev.freight.upload.model.UploadStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The upload state machine alone: storage and records in memory (held to the S3 and DynamoDB rules the service
 * relies on), a clock moved by hand. The end-to-end tier proves the same flows against the emulators.
 */
class UploadServiceTest {

    private static final long MIB = 1024 * 1024;
    private static final String OWNER = "alice";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final InMemoryStorage storage = new InMemoryStorage(clock);
    private final InMemoryRecords records = new InMemoryRecords(3);
    private final FreightConfig config = TestConfig.withBucket("bucket");
    private final UploadMetrics metrics = new UploadMetrics(new SimpleMeterRegistry());
    private final Reconciler reconciler = new Reconciler(storage, records, StateChanges.withoutEvents(records), metrics, clock, config);
    private final UploadTokens tokens = new UploadTokens(config.upload().tokenKeys().orElseThrow(), clock);
    private final UploadService uploads = new UploadService(storage, records, StateChanges.withoutEvents(records),
            dev.freight.webhook.PreCreateHook.none(), new FakeSigner(),
            new PartUrlIssuer(new FakeSigner(), metrics, config), reconciler, new Assemblies(config), tokens,
            metrics, clock, config);

    @Test
    void initPlansThePartsRecordsTheUploadAndSignsTheFirstBatchBoundToEachPartsSize() {
        StartedUpload started = uploads.init(OWNER, "Alice", plain(40 * MIB), null);

        Upload upload = started.upload();
        assertThat(upload.partSize()).isEqualTo(16 * MIB);
        assertThat(upload.partCount()).isEqualTo(3);
        assertThat(upload.authorName()).isEqualTo("Alice");
        assertThat(upload.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThat(started.parts()).extracting(SignedPart::partNumber, SignedPart::size).containsExactly(
                tuple(1, 16 * MIB), tuple(2, 16 * MIB),
                tuple(3, 8 * MIB));
        assertThat(started.parts().get(2).url().url()).contains("uploadId=" + upload.uploadId(), "size=" + 8 * MIB);
        assertThat(records.records.get(upload.fileId())).isEqualTo(upload);
        assertThat(storage.uploads).containsOnlyKeys(upload.uploadId());
        assertThat(storage.uploads.get(upload.uploadId()).sha256()).isFalse();
    }

    @Test
    void anInitItsRulesRefuseStartsNothingAndRecordsNothing() {
        NewUpload partsWithoutAlgorithm = new NewUpload("a.bin", "application/octet-stream", 10 * MIB, null, null,
                null, ChecksumAlgorithm.NONE, null, Map.of(), List.of(new PartToSign(1, null)));
        NewUpload partTwice = sha256(10 * MIB, List.of(part(1, "a"), part(1, "a")));
        NewUpload digestMissing = sha256(10 * MIB, List.of(new PartToSign(1, null)));

        assertRefused(() -> uploads.init(OWNER, "Alice", partsWithoutAlgorithm, null), "parts");
        assertRefused(() -> uploads.init(OWNER, "Alice", partTwice, null), "parts[1].part_number");
        assertRefused(() -> uploads.init(OWNER, "Alice", digestMissing, null), "parts[0].checksum_sha256");
        assertRefused(() -> uploads.init(OWNER, null, plain(MIB), null), "author_name");
        assertThat(storage.calls).isEmpty();
        assertThat(records.records).isEmpty();
    }

    @Test
    void completeChecksEveryPartAgainstStorageThenRecordsTheFileOnce() {
        Upload upload = uploads.init(OWNER, "Alice", inParts(12 * MIB, 5 * MIB), null).upload();
        assertThat(upload.partCount()).isEqualTo(3);
        byte[] first = TestFiles.randomBytes((int) (5 * MIB), 1);
        byte[] second = TestFiles.randomBytes((int) (5 * MIB), 2);
        byte[] third = TestFiles.randomBytes((int) (2 * MIB), 3);
        List<ClaimedPart> claimed = new ArrayList<>(List.of(
                new ClaimedPart(1, storage.putPart(upload.uploadId(), 1, first), null),
                new ClaimedPart(2, storage.putPart(upload.uploadId(), 2, second), null)));

        assertThatThrownBy(() -> uploads.complete(OWNER, upload.fileId(), claimed))
                .isInstanceOfSatisfying(FreightException.class, mismatch -> {
                    assertThat(mismatch.problemType()).isEqualTo(ProblemType.PARTS_MISMATCH);
                    assertThat(mismatch.errors()).extracting(FieldError::field, FieldError::message).containsExactly(
                            tuple("parts[3]", "missing: storage does not hold this part"));
                });
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.UPLOADING);

        claimed.add(new ClaimedPart(3, storage.putPart(upload.uploadId(), 3, third), null));
        UploadProgress done = uploads.complete(OWNER, upload.fileId(), claimed);
        UploadProgress again = uploads.complete(OWNER, upload.fileId(), claimed);

        assertThat(done.upload().status()).isEqualTo(UploadStatus.UPLOADED);
        assertThat(done.upload().pathUrl()).isEqualTo("s3://bucket/" + upload.objectKey());
        assertThat(done.upload().completedAt()).isEqualTo(clock.instant());
        assertThat(again.upload()).isEqualTo(done.upload());
        assertThat(storage.calls).filteredOn(call -> call.startsWith("complete")).hasSize(1);
        assertThat(storage.objects.get(upload.objectKey()).size()).isEqualTo(12 * MIB);
        assertThat(storage.uploads).isEmpty();
        assertThat(records.records.get(upload.fileId())).isEqualTo(done.upload());
    }

    @Test
    void aSha256UploadSignsOnlyListedDigestsAndRecordsTheCompositeChecksum() {
        byte[] first = TestFiles.randomBytes((int) (5 * MIB), 4);
        byte[] last = TestFiles.randomBytes((int) (MIB), 5);
        StartedUpload started = uploads.init(OWNER, "Alice",
                sha256(6 * MIB, List.of(new PartToSign(1, TestFiles.sha256Base64(first)))), null);
        Upload upload = started.upload();
        assertThat(started.parts()).singleElement().satisfies(signed -> assertThat(signed.url().headers())
                .containsEntry("x-amz-checksum-sha256", TestFiles.sha256Base64(first)));
        assertRefused(() -> uploads.refreshUrls(OWNER, upload.fileId(), null, null), "parts");

        List<ClaimedPart> claimed = List.of(
                new ClaimedPart(1, storage.putPart(upload.uploadId(), 1, first), TestFiles.sha256Base64(first)),
                new ClaimedPart(2, storage.putPart(upload.uploadId(), 2, last), TestFiles.sha256Base64(last)));
        Upload done = uploads.complete(OWNER, upload.fileId(), claimed).upload();

        assertThat(done.partChecksums()).containsExactly(TestFiles.sha256Base64(first),
                TestFiles.sha256Base64(last));
        assertThat(done.objectChecksum()).endsWith("-2").isEqualTo(storage.objects.get(upload.objectKey())
                .checksumSha256());
    }

    @Test
    void firstPartsHashedForAnotherPartSizeAreNotSignedAndDoNotRefuseTheInit() {
        // The client hashed twelve 1 MiB parts; S3's 5 MiB minimum cuts the file in three parts of other bytes.
        List<PartToSign> hashed = new ArrayList<>();
        for (int partNumber = 1; partNumber <= 12; partNumber++) {
            hashed.add(part(partNumber, "one MiB part " + partNumber));
        }
        NewUpload request = new NewUpload("file.bin", "application/octet-stream", 12 * MIB, null, null, MIB,
                ChecksumAlgorithm.SHA256, null, Map.of(), hashed);

        StartedUpload started = uploads.init(OWNER, "Alice", request, null);

        assertThat(started.upload().partSize()).isEqualTo(5 * MIB);
        assertThat(started.upload().partCount()).isEqualTo(3);
        assertThat(started.parts()).as("digests of other byte ranges get no URL").isEmpty();
        assertThat(records.records.get(started.upload().fileId())).isEqualTo(started.upload());

        // Asked as the plan cuts it, the listed parts are signed.
        StartedUpload asPlanned = uploads.init(OWNER, "Alice", sha256(12 * MIB, hashed.subList(0, 3)), null);
        assertThat(asPlanned.parts()).extracting(SignedPart::partNumber).containsExactly(1, 2, 3);
    }

    @Test
    void pastItsDeadlineAnUnfinishedUploadFailsAndStorageDropsItsParts() {
        Upload upload = uploads.init(OWNER, "Alice", plain(12 * MIB), null).upload();
        storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) (5 * MIB), 6));

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        UploadProgress status = uploads.status(OWNER, upload.fileId());

        assertThat(status.upload().status()).isEqualTo(UploadStatus.FAILED);
        assertThat(status.upload().deleteAfter()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        assertThat(storage.uploads).isEmpty();
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.FAILED);
        assertRefused(() -> uploads.refreshUrls(OWNER, upload.fileId(), null, null), null);
    }

    @Test
    void aFileAssembledByACompleteThatDiedBeforeRecordingItIsRecordedByTheNextStatus() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        List<ClaimedPart> claimed = List.of(new ClaimedPart(1, storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 7)),
                null));
        storage.failAfterNextAssembly = new StorageUnavailableException("S3", null, true);

        assertThatThrownBy(() -> uploads.complete(OWNER, upload.fileId(), claimed))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.UPLOADING);

        Upload repaired = uploads.status(OWNER, upload.fileId()).upload();
        assertThat(repaired.status()).isEqualTo(UploadStatus.UPLOADED);
        assertThat(repaired.etag()).isEqualTo("\"assembled-1\"");
        assertThat(uploads.complete(OWNER, upload.fileId(), claimed).upload()).isEqualTo(repaired);
    }

    @Test
    void aRecordWriteThatTimedOutAfterItWasAppliedKeepsTheUploadAndADefiniteFailureAbortsIt() {
        records.failAfterNextCreate = new StorageUnavailableException("DynamoDB", null, true);
        StartedUpload kept = uploads.init(OWNER, "Alice", plain(MIB), "key-1");
        assertThat(storage.uploads).containsOnlyKeys(kept.upload().uploadId());
        assertThat(uploads.init(OWNER, "Alice", plain(MIB), "key-1").upload()).isEqualTo(kept.upload());

        records.failNextCreate = new StorageUnavailableException("DynamoDB", null, false);
        assertThatThrownBy(() -> uploads.init(OWNER, "Alice", plain(2 * MIB), "key-2"))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(storage.uploads).containsOnlyKeys(kept.upload().uploadId());
        assertThat(storage.calls).filteredOn(call -> call.startsWith("abort")).hasSize(1);
    }

    @Test
    void anIdempotencyKeyReplaysItsUploadAndRefusesAnotherRequest() {
        StartedUpload first = uploads.init(OWNER, "Alice", plain(MIB), "key");
        StartedUpload retry = uploads.init(OWNER, "Alice", plain(MIB), "key");

        assertThat(retry.upload()).isEqualTo(first.upload());
        assertThat(retry.parts()).hasSize(1);
        assertThat(storage.uploads).hasSize(1);
        assertThatThrownBy(() -> uploads.init(OWNER, "Alice", plain(2 * MIB), "key"))
                .isInstanceOfSatisfying(FreightException.class, refused -> assertThat(refused.problemType())
                        .isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED));
        assertThat(uploads.init("bob", "Bob", plain(MIB), "key").upload().fileId())
                .isNotEqualTo(first.upload().fileId());
    }

    @Test
    void abortEndsTheUploadOnceAndLeavesNothingToComplete() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        String etag = storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 8));
        int callsBefore = storage.calls.size();

        uploads.abort(OWNER, upload.fileId());
        uploads.abort(OWNER, upload.fileId());

        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.ABORTED);
        assertThat(storage.uploads).isEmpty();
        // No complete ever reached storage and S3 aborted the upload itself: no file can exist, none is looked for.
        assertThat(storage.calls.subList(callsBefore, storage.calls.size()))
                .containsExactly("abort " + upload.objectKey());
        assertThatThrownBy(() -> uploads.complete(OWNER, upload.fileId(), List.of(new ClaimedPart(1, etag, null))))
                .isInstanceOfSatisfying(FreightException.class, refused -> assertThat(refused.problemType())
                        .isEqualTo(ProblemType.INVALID_UPLOAD_STATE));
        assertThat(storage.objects).isEmpty();
    }

    @Test
    void anAbortAfterACompleteWhoseAnswerWasLostFindsTheFileEvenWhenStorageAnswers204() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        List<ClaimedPart> claimed = List.of(new ClaimedPart(1, storage.putPart(upload.uploadId(), 1,
                TestFiles.randomBytes((int) (MIB), 13)), null));
        storage.failAfterNextAssembly = new StorageUnavailableException("S3", null, true);
        storage.abortOfAssembledAnswers204 = true;
        assertThatThrownBy(() -> uploads.complete(OWNER, upload.fileId(), claimed))
                .isInstanceOf(StorageUnavailableException.class);
        Upload reopened = records.records.get(upload.fileId());
        assertThat(reopened.status()).isEqualTo(UploadStatus.UPLOADING);
        assertThat(reopened.assemblyAsked()).isTrue();

        assertThatThrownBy(() -> uploads.abort(OWNER, upload.fileId()))
                .isInstanceOfSatisfying(FreightException.class, refused -> assertThat(refused.getMessage())
                        .contains("became uploaded"));

        assertThat(storage.calls).contains("abort " + upload.objectKey(), "find " + upload.objectKey());
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.UPLOADED);
        assertThat(storage.objects).containsOnlyKeys(upload.objectKey());
    }

    @Test
    void anAbortOfABrowserPostSendsNoMultipartAbortButLooksForTheFile() {
        Upload form = browserPost();

        uploads.abort(OWNER, form.fileId());

        // No multipart upload to abort; the form's file could have arrived, so storage is asked for it.
        assertThat(storage.calls).containsExactly("find " + form.objectKey());
        assertThat(records.records.get(form.fileId()).status()).isEqualTo(UploadStatus.ABORTED);
    }

    /** A file a browser POST form sends whole (Companion's small-file path), as its record starts. */
    private Upload browserPost() {
        UUID fileId = UUID.randomUUID();
        Upload upload = Upload.started(fileId, OWNER,
                new Upload.FileFacts("form.bin", "application/octet-stream", MIB, "Alice", clock.instant(), null,
                        Map.of()),
                new Upload.PartTarget(Upload.BROWSER_POST, fileId.toString(), new PartPlan(MIB, MIB, 1),
                        ChecksumAlgorithm.NONE),
                clock.instant(), clock.instant().plus(Duration.ofDays(7)), clock.instant().plus(Duration.ofDays(8)),
                null);
        records.records.put(fileId, upload);
        return upload;
    }

    @Test
    void anAbortThatDeletedThePartsWinsOverACompleteThatThenFindsThemGone() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 12));
        // The complete checked the parts and recorded completing just after the abort read the record.
        records.records.put(upload.fileId(), upload.completing(clock.instant()));
        UploadService racingAbort = new UploadService(storage, new InMemoryRecords(3) {
            private boolean first = true;

            @Override
            public java.util.Optional<Upload> find(UUID fileId) {
                if (first) {
                    first = false;
                    return java.util.Optional.of(upload);
                }
                return UploadServiceTest.this.records.find(fileId);
            }

            @Override
            public void update(Upload next) {
                UploadServiceTest.this.records.update(next);
            }
        }, StateChanges.withoutEvents(records), dev.freight.webhook.PreCreateHook.none(), new FakeSigner(),
                new PartUrlIssuer(new FakeSigner(), metrics, config), reconciler,
                new Assemblies(config), tokens, metrics, clock, config);

        racingAbort.abort(OWNER, upload.fileId());

        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.ABORTED);
        assertThat(storage.uploads).isEmpty();
        assertThat(storage.objects).isEmpty();
    }

    @Test
    void anotherOwnersUploadIsNotFoundForEveryCall() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        List<Runnable> calls = List.of(() -> uploads.status("bob", upload.fileId()),
                () -> uploads.refreshUrls("bob", upload.fileId(), null, null),
                () -> uploads.complete("bob", upload.fileId(), List.of(new ClaimedPart(1, "e", null))),
                () -> uploads.abort("bob", upload.fileId()), () -> uploads.download("bob", upload.fileId(), false, 1));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(FreightException.class,
                    refused -> assertThat(refused.problemType()).isEqualTo(ProblemType.UPLOAD_NOT_FOUND));
        }
        assertThat(records.records.get(upload.fileId())).isEqualTo(upload);
        assertThat(storage.uploads).containsOnlyKeys(upload.uploadId());
    }

    @Test
    void aFullQuotaFirstEndsTheOwnersAbandonedUploads() {
        List<Upload> old = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            old.add(uploads.init(OWNER, "Alice", plain(MIB), null).upload());
        }
        assertThatThrownBy(() -> uploads.init(OWNER, "Alice", plain(MIB), null))
                .isInstanceOfSatisfying(FreightException.class, refused -> assertThat(refused.problemType())
                        .isEqualTo(ProblemType.QUOTA_EXCEEDED));

        clock.advance(Duration.ofDays(8));
        Upload fresh = uploads.init(OWNER, "Alice", plain(MIB), null).upload();

        assertThat(old).allSatisfy(upload -> assertThat(records.records.get(upload.fileId()).status())
                .isEqualTo(UploadStatus.FAILED));
        assertThat(storage.uploads).containsOnlyKeys(fresh.uploadId());
    }

    @Test
    void theSweeperEndsOrphansAndAbandonedUploadsAndLeavesLiveOnes() {
        Upload abandoned = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        String orphan = storage.startMultipartUpload(UUID.randomUUID().toString(), "application/octet-stream", false);
        String notOurs = storage.startMultipartUpload("someone-elses/key", "application/octet-stream", false);
        clock.advance(Duration.ofDays(8));
        Upload live = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        AbandonedUploadSweeper sweeper = new AbandonedUploadSweeper(storage, records, records, reconciler, clock,
                config);

        assertThat(sweeper.sweep()).isEqualTo(2);
        assertThat(storage.uploads).containsOnlyKeys(live.uploadId(), notOurs);
        assertThat(records.records.get(abandoned.fileId()).status()).isEqualTo(UploadStatus.FAILED);
        assertThat(storage.uploads).doesNotContainKey(orphan);
    }

    @Test
    void recordsPastTheirDeadlineWhoseMultipartUploadIsGoneAreSettledByTheSweepWithoutAnyClientCall() {
        Upload assembled = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        storage.putPart(assembled.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 9));
        // A complete that died after S3 assembled the file and before the record said so.
        storage.completeMultipartUpload(assembled.objectKey(), assembled.uploadId(),
                storage.listParts(assembled.objectKey(), assembled.uploadId()), false);
        Upload dead = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        storage.putPart(dead.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 10));
        storage.abortMultipartUpload(dead.objectKey(), dead.uploadId());
        clock.advance(Duration.ofDays(6));
        Upload live = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(storage.uploads).containsOnlyKeys(live.uploadId());
        assertThat(records.pastDeadline(clock.instant(), 10)).containsExactlyInAnyOrder(assembled.fileId(),
                dead.fileId());

        AbandonedUploadSweeper.Run run = sweeper("a", limits(10, 100)).run();

        assertThat(run.repaired()).isEqualTo(2);
        assertThat(run.aborted()).isZero();
        Upload repaired = records.records.get(assembled.fileId());
        assertThat(repaired.status()).isEqualTo(UploadStatus.UPLOADED);
        assertThat(repaired.etag()).isEqualTo("\"assembled-1\"");
        assertThat(repaired.deleteAfter()).isNull();
        Upload failed = records.records.get(dead.fileId());
        assertThat(failed.status()).isEqualTo(UploadStatus.FAILED);
        assertThat(failed.deleteAfter()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        assertThat(storage.objects).containsOnlyKeys(assembled.objectKey());
        assertThat(records.records.get(live.fileId())).isEqualTo(live);
        assertThat(storage.uploads).containsOnlyKeys(live.uploadId());
        assertThat(records.pastDeadline(clock.instant(), 10)).isEmpty();
    }

    @Test
    void aCompletingUploadPastItsDeadlineIsLeftToItsAssemblyUntilTheAssemblyBoundThenRepairedFromItsFile() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 12));
        clock.advance(Duration.ofDays(7).minusMinutes(1));
        // An instance marked it completing, had S3 assemble it, and died before recording the file.
        records.records.put(upload.fileId(), upload.completing(clock.instant()));
        storage.completeMultipartUpload(upload.objectKey(), upload.uploadId(),
                storage.listParts(upload.objectKey(), upload.uploadId()), false);
        clock.advance(Duration.ofMinutes(2));
        assertThat(records.pastDeadline(clock.instant(), 10)).containsExactly(upload.fileId());
        AbandonedUploadSweeper sweeper = sweeper("a", limits(10, 100));

        assertThat(sweeper.run().repaired()).as("an assembly may still be running").isZero();
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.COMPLETING);

        clock.advance(Duration.ofMinutes(15));
        assertThat(sweeper.run().repaired()).isEqualTo(1);
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.UPLOADED);
        assertThat(records.records.get(upload.fileId()).etag()).isEqualTo("\"assembled-1\"");
        assertThat(records.pastDeadline(clock.instant(), 10)).isEmpty();
    }

    @Test
    void theDeadlineRepairIsBoundedPerRunAndTheNextRunTakesTheRest() {
        // One deadline shard: the bound holds per shard and run (DeadlineRepairFairnessTest has several).
        records.deadlineShardCount = 1;
        List<Upload> late = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
            // Gone from storage: only the deadline index still leads to it (the walk through S3 cannot).
            storage.abortMultipartUpload(upload.objectKey(), upload.uploadId());
            late.add(upload);
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofDays(8));
        AbandonedUploadSweeper sweeper = sweeper("a", limits(10, 2));

        assertThat(sweeper.run().repaired()).isEqualTo(2);
        // Earliest deadline first.
        assertThat(late).extracting(upload -> records.records.get(upload.fileId()).status())
                .containsExactly(UploadStatus.FAILED, UploadStatus.FAILED, UploadStatus.UPLOADING);
        assertThat(sweeper.run().repaired()).isEqualTo(1);
        assertThat(late).allSatisfy(upload -> assertThat(records.records.get(upload.fileId()).status())
                .isEqualTo(UploadStatus.FAILED));
        assertThat(storage.uploads).isEmpty();
    }

    @Test
    void oneSweeperRunsWhileItHoldsTheLeaseAndTheOtherSkipsUntilItRunsOut() {
        Upload abandoned = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        clock.advance(Duration.ofDays(8));
        AbandonedUploadSweeper first = sweeper("instance-1", limits(10, 100));
        AbandonedUploadSweeper second = sweeper("instance-2", limits(10, 100));

        AbandonedUploadSweeper.Run ran = first.run();
        int callsAfterFirst = storage.calls.size();
        AbandonedUploadSweeper.Run skipped = second.run();

        assertThat(ran.ran()).isTrue();
        assertThat(ran.ended()).isEqualTo(1);
        assertThat(records.records.get(abandoned.fileId()).status()).isEqualTo(UploadStatus.FAILED);
        assertThat(skipped).isEqualTo(new AbandonedUploadSweeper.Run(false, 0, 0, 0, null, null));
        assertThat(storage.calls).hasSize(callsAfterFirst);
        // The holder keeps the lease for the interval and renews it itself; others get it once it runs out.
        assertThat(records.leases.get("lease").holder()).isEqualTo("instance-1");
        assertThat(records.leases.get("lease").until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(14));
        assertThat(second.run().ran()).isFalse();
        assertThat(first.run().ran()).isTrue();
        clock.advance(Duration.ofMinutes(15));
        assertThat(second.run().ran()).isTrue();
        assertThat(first.run().ran()).isFalse();
        assertThat(records.leases.get("lease").holder()).isEqualTo("instance-2");
    }

    @Test
    void aSweepBoundedByPagesStoresItsCursorAndAfterItsHolderDiedTheNextHolderGoesOnFromThere() {
        List<String> orphans = new ArrayList<>();
        for (int index = 0; index < 5; index++) {
            orphans.add(storage.startMultipartUpload(UUID.randomUUID().toString(), "application/octet-stream", false));
        }
        clock.advance(Duration.ofDays(8));
        storage.listPageSize = 1;
        AbandonedUploadSweeper first = sweeper("instance-1", limits(2, 100));
        AbandonedUploadSweeper second = sweeper("instance-2", limits(10, 100));

        AbandonedUploadSweeper.Run bounded = first.run();
        assertThat(bounded.pages()).isEqualTo(2);
        assertThat(bounded.aborted()).isEqualTo(2);
        assertThat(bounded.resumedFrom()).isEqualTo(SweepCursor.START);
        assertThat(records.leases.get("lease").cursor()).isEqualTo(bounded.stoppedAt()).isNotEqualTo(SweepCursor.START);
        assertThat(storage.uploads).hasSize(3);

        // Its next run goes on from the cursor, reads one page and then dies.
        clock.advance(Duration.ofMinutes(15));
        storage.failOnListCall = 4;
        storage.listFailure = new StorageUnavailableException("S3", null, false);
        assertThatThrownBy(first::run).isSameAs(storage.listFailure);
        SweepCursor reached = records.leases.get("lease").cursor();
        assertThat(storage.uploads).hasSize(2);
        assertThat(second.run().ran()).as("the dead holder's lease has not run out yet").isFalse();

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        int callsBefore = storage.calls.size();
        AbandonedUploadSweeper.Run takenOver = second.run();

        assertThat(takenOver.ran()).isTrue();
        assertThat(takenOver.resumedFrom()).isEqualTo(reached);
        assertThat(storage.calls.get(callsBefore)).isEqualTo("list " + reached.keyMarker() + "/"
                + reached.uploadIdMarker());
        assertThat(takenOver.aborted()).isEqualTo(2);
        assertThat(takenOver.stoppedAt()).isEqualTo(SweepCursor.START);
        assertThat(storage.uploads).isEmpty();
        assertThat(storage.calls).filteredOn(call -> call.startsWith("abort")).hasSize(orphans.size());
        assertThat(records.leases.get("lease")).isEqualTo(new InMemoryRecords.Lease("instance-2",
                clock.instant().plus(Duration.ofMinutes(15)), SweepCursor.START));
    }

    private AbandonedUploadSweeper sweeper(String holder, AbandonedUploadSweeper.Limits limits) {
        return new AbandonedUploadSweeper(storage, records, records, reconciler, clock, config, limits, "lease", holder);
    }

    private static AbandonedUploadSweeper.Limits limits(int maxPages, int maxRepairs) {
        return new AbandonedUploadSweeper.Limits(maxPages, maxRepairs, Duration.ofMinutes(15));
    }

    @Test
    void anAssemblyLongerThanTheWaitAnswersCompletingAndTheFileEndsUploadedOnce() throws Exception {
        UploadService patient = withCompleteTimes(Duration.ofMillis(200), Duration.ofMinutes(15));
        Upload upload = patient.init(OWNER, "Alice", plain(MIB), null).upload();
        List<ClaimedPart> claimed = List.of(new ClaimedPart(1, storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 9)),
                null));
        storage.assemblyGate = new CountDownLatch(1);

        UploadProgress first = patient.complete(OWNER, upload.fileId(), claimed);
        UploadProgress retried = patient.complete(OWNER, upload.fileId(), claimed);

        assertThat(first.upload().status()).isEqualTo(UploadStatus.COMPLETING);
        assertThat(first.bytesUploaded()).isEqualTo(MIB);
        assertThat(retried.upload().status()).isEqualTo(UploadStatus.COMPLETING);
        assertThat(records.records.get(upload.fileId()).completingSince()).isEqualTo(clock.instant());
        assertThat(patient.status(OWNER, upload.fileId()).upload().status()).isEqualTo(UploadStatus.COMPLETING);
        assertRefused(() -> patient.abort(OWNER, upload.fileId()), null);
        assertRefused(() -> patient.refreshUrls(OWNER, upload.fileId(), null, null), null);

        storage.assemblyGate.countDown();
        Upload done = awaitStatus(upload.fileId(), UploadStatus.UPLOADED);

        assertThat(patient.complete(OWNER, upload.fileId(), claimed).upload()).isEqualTo(done);
        assertThat(storage.calls).filteredOn(call -> call.startsWith("complete")).hasSize(1);
        assertThat(storage.objects).containsOnlyKeys(upload.objectKey());
    }

    @Test
    void aCompletingUploadLeftByADeadInstanceIsRepairedFromItsFileOrRetakenAfterItsBound() {
        Upload assembled = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        storage.putPart(assembled.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 10));
        storage.completeMultipartUpload(assembled.objectKey(), assembled.uploadId(),
                storage.listParts(assembled.objectKey(), assembled.uploadId()), false);
        records.records.put(assembled.fileId(), assembled.completing(clock.instant()));
        assertThat(uploads.status(OWNER, assembled.fileId()).upload().status()).isEqualTo(UploadStatus.UPLOADED);

        UploadService patient = withCompleteTimes(Duration.ofMillis(300), Duration.ofMinutes(15));
        Upload stranded = patient.init(OWNER, "Alice", plain(MIB), null).upload();
        List<ClaimedPart> claimed = List.of(new ClaimedPart(1, storage.putPart(stranded.uploadId(), 1, TestFiles.randomBytes((int) (MIB), 11)),
                null));
        records.records.put(stranded.fileId(), stranded.completing(clock.instant()));
        assertThat(patient.complete(OWNER, stranded.fileId(), claimed).upload().status())
                .as("within its bound the other instance's assembly is waited for").isEqualTo(UploadStatus.COMPLETING);
        clock.advance(Duration.ofMinutes(16));
        assertThat(patient.complete(OWNER, stranded.fileId(), claimed).upload().status())
                .isEqualTo(UploadStatus.UPLOADED);
        assertThat(storage.calls).filteredOn(call -> call.startsWith("complete " + stranded.objectKey())).hasSize(1);
    }

    @Test
    void aPollOrASecondCompletePastTheDeadlineNeverAbortsAnAssemblyThatMayStillRun() {
        Upload upload = uploads.init(OWNER, "Alice", plain(MIB), null).upload();
        List<ClaimedPart> claimed = List.of(new ClaimedPart(1,
                storage.putPart(upload.uploadId(), 1, TestFiles.randomBytes((int) MIB, 12)), null));
        // An instance started assembling a minute before the deadline and is still at it.
        clock.set(upload.expiresAt().minus(Duration.ofMinutes(1)));
        records.records.put(upload.fileId(), upload.completing(clock.instant()));
        clock.advance(Duration.ofMinutes(2));

        assertThat(uploads.status(OWNER, upload.fileId()).upload().status()).isEqualTo(UploadStatus.COMPLETING);
        assertThat(uploads.complete(OWNER, upload.fileId(), claimed).upload().status())
                .as("answered at once, without waiting").isEqualTo(UploadStatus.COMPLETING);
        assertThat(storage.calls).noneMatch(call -> call.startsWith("abort"));
        assertThat(storage.uploads).containsKey(upload.uploadId());
        assertThat(records.records.get(upload.fileId()).status()).isEqualTo(UploadStatus.COMPLETING);

        // Past the assembly's bound nothing can still be assembling it: the deadline applies, as for the sweeper.
        clock.advance(Duration.ofMinutes(15));
        assertThat(uploads.status(OWNER, upload.fileId()).upload().status()).isEqualTo(UploadStatus.FAILED);
        assertThat(storage.calls).contains("abort " + upload.objectKey());
    }

    private UploadService withCompleteTimes(Duration wait, Duration bound) {
        FreightConfig patient = TestConfig.withCompleteTimes("bucket", wait, bound);
        return new UploadService(storage, records, StateChanges.withoutEvents(records),
            dev.freight.webhook.PreCreateHook.none(), new FakeSigner(), new PartUrlIssuer(new FakeSigner(), metrics,
                patient), reconciler, new Assemblies(patient), tokens, metrics, clock, patient);
    }

    private Upload awaitStatus(UUID fileId, UploadStatus status) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            Upload upload = records.records.get(fileId);
            if (upload.status() == status) {
                return upload;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("upload never became " + status + ": " + records.records.get(fileId));
    }

    private static NewUpload plain(long size) {
        return new NewUpload("file.bin", "application/octet-stream", size, null, null, null, ChecksumAlgorithm.NONE,
                null, Map.of(), null);
    }

    private static NewUpload inParts(long size, long partSize) {
        return new NewUpload("file.bin", "application/octet-stream", size, null, null, partSize,
                ChecksumAlgorithm.NONE, null, Map.of(), null);
    }

    private static NewUpload sha256(long size, List<PartToSign> firstParts) {
        return new NewUpload("file.bin", "application/octet-stream", size, null, null, 5 * MIB,
                ChecksumAlgorithm.SHA256, null, Map.of(), firstParts);
    }

    private static PartToSign part(int partNumber, String content) {
        return new PartToSign(partNumber, TestFiles.sha256Base64(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(FreightException.class, refused -> {
            assertThat(refused.problemType().status()).isBetween(400, 499);
            if (field != null) {
                assertThat(refused.errors()).extracting(FieldError::field).contains(field);
            }
        });
    }
}
