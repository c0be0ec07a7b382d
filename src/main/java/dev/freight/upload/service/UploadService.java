package dev.freight.upload.service;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.problem.StorageUnavailableException;
import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.Download;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.SignedPart;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.model.StartedUpload;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadGrant;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadProgress;
import dev.freight.upload.model.UploadStatus;
import dev.freight.webhook.PreCreateHook;
import io.quarkus.logging.Log;

/**
 * The state machine of an upload's life: which states accept which calls, in what order storage and the record
 * are written, and what a retry or a lost race answers. Every call is scoped to the owner that started the upload.
 * The rules it applies live beside it: {@link InitRules}, {@link PartChecks}, {@link PartUrlIssuer} and
 * {@link Reconciler}.
 */
@ApplicationScoped
public class UploadService {

    private final MultipartStorage storage;
    private final UploadRecords records;
    private final StateChanges changes;
    private final PreCreateHook hook;
    private final UrlSigner signer;
    private final PartUrlIssuer partUrls;
    private final Reconciler reconciler;
    private final Assemblies assemblies;
    private final UploadTokens tokens;
    private final UploadMetrics metrics;
    private final Clock clock;
    private final FreightConfig.Upload settings;

    public UploadService(MultipartStorage storage, UploadRecords records, StateChanges changes, PreCreateHook hook,
            UrlSigner signer, PartUrlIssuer partUrls, Reconciler reconciler, Assemblies assemblies, UploadTokens tokens,
            UploadMetrics metrics, Clock clock, FreightConfig config) {
        this.changes = changes;
        this.hook = hook;
        this.storage = storage;
        this.records = records;
        this.signer = signer;
        this.partUrls = partUrls;
        this.reconciler = reconciler;
        this.assemblies = assemblies;
        this.tokens = tokens;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = config.upload();
    }

    /**
     * Records a new upload, starts its multipart upload in storage, and signs URLs for its first parts. With an
     * Idempotency-Key, a retry of the same request returns the same upload; the same key with another request is
     * refused (422).
     *
     * @param callerName the author when the request names none (the token's name), or null
     * @param idempotencyKey the client's Idempotency-Key header, or null
     */
    public StartedUpload init(String owner, String callerName, NewUpload request, String idempotencyKey) {
        InitRules.requireAcceptable(request, settings);
        String authorName = InitRules.author(request.authorName(), callerName);
        UUID fileId = idempotencyKey == null ? UUID.randomUUID() : IdempotentInit.fileId(owner, idempotencyKey);
        String requestHash = idempotencyKey == null ? null : IdempotentInit.fingerprint(request, authorName);
        if (idempotencyKey != null) {
            Optional<Upload> earlier = records.find(fileId);
            if (earlier.isPresent()) {
                return replay(earlier.get(), requestHash,
                        InitRules.firstPartsFor(request, earlier.get().partPlan(), settings));
            }
        }
        request = askHook(owner, authorName, request);
        PartPlan plan = InitRules.plan(request, settings);
        List<PartToSign> firstParts = InitRules.firstPartsFor(request, plan, settings);
        if (firstParts != null) {
            // Checked before anything is written: a bad part list starts no multipart upload.
            partUrls.requireBatch(firstParts);
            PartChecks.requireValidPartList(plan, request.checksumAlgorithm(), firstParts);
        }

        // The key starts with the file id (spreads S3 partitions) and holds no client input.
        String objectKey = fileId.toString();
        Instant now = clock.instant();
        Instant resumableUntil = now.plus(settings.expireAfter());
        requireQuotaRoom(owner, request.fileSize());
        String uploadId = storage.startMultipartUpload(objectKey, request.fileType(),
                request.checksumAlgorithm() == ChecksumAlgorithm.SHA256);
        Upload upload = Upload.started(fileId, owner,
                new Upload.FileFacts(request.filename(), request.fileType(), request.fileSize(), authorName,
                        request.createdAt() != null ? request.createdAt() : now, request.checksumSha256(),
                        request.metadata()),
                new Upload.PartTarget(uploadId, objectKey, plan, request.checksumAlgorithm()), now, resumableUntil,
                resumableUntil.plus(settings.endedRetention()), requestHash);
        try {
            createWithinQuota(upload);
        } catch (UploadExistsException concurrentRetry) {
            reconciler.abortQuietly(upload);
            return replay(records.find(fileId).orElseThrow(UploadService::notFound), requestHash, firstParts);
        } catch (RuntimeException recordFailed) {
            // Refused by the quota (or storage): the multipart upload just started is aborted, nothing is left.
            boolean mayHaveApplied = recordFailed instanceof StorageUnavailableException unavailable
                    && unavailable.outcomeUnknown();
            if (!mayHaveApplied) {
                // Without a record nobody can resume or abort it: do not leave the multipart upload behind.
                reconciler.abortQuietly(upload);
                throw recordFailed;
            }
            if (!recordedAfterAll(upload)) {
                throw recordFailed;
            }
        }
        metrics.uploadInitiated();
        Log.infof("Upload %s initiated: %d bytes in %d parts (checksum %s)", fileId, upload.fileSize(),
                upload.partCount(), upload.checksumAlgorithm());
        return new StartedUpload(upload, partUrls.firstParts(upload, firstParts));
    }

    /**
     * The pre-create hook's say on a new upload, before anything is written or started: refused (403
     * {@code upload-refused} with its reason), or allowed with the metadata it adds (the hook's value wins a key
     * both name). Also asked for a browser POST's upload ({@link CompanionUploads}).
     */
    NewUpload askHook(String owner, String authorName, NewUpload request) {
        if (!hook.configured()) {
            return request;
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("owner", owner);
        facts.put("author_name", authorName);
        facts.put("filename", request.filename());
        facts.put("file_type", request.fileType());
        facts.put("file_size", request.fileSize());
        facts.put("checksum_algorithm", request.checksumAlgorithm() == null ? null
                : request.checksumAlgorithm().wireName());
        facts.put("checksum_sha256", request.checksumSha256());
        facts.put("metadata", request.metadata() == null ? Map.of() : request.metadata());
        PreCreateHook.Decision decision = hook.ask(facts);
        if (!decision.allowed()) {
            Log.infof("Init by %s refused by the pre-create hook: %s", owner, decision.reason());
            throw new FreightException(ProblemType.UPLOAD_REFUSED, decision.reason());
        }
        if (decision.metadata().isEmpty()) {
            return request;
        }
        Map<String, String> metadata = new LinkedHashMap<>(request.metadata() == null ? Map.of() : request.metadata());
        metadata.putAll(decision.metadata());
        return new NewUpload(request.filename(), request.fileType(), request.fileSize(), request.authorName(),
                request.createdAt(), request.partSize(), request.checksumAlgorithm(), request.checksumSha256(),
                metadata, request.firstParts());
    }

    /**
     * Refuses an init the owner's quota has no room for before storage is touched (a refusal starts and aborts no
     * multipart upload). At the cap, the owner's uploads past their deadline are ended first (which gives their
     * quota back), so abandoned uploads never hold quota waiting for the sweeper.
     */
    private void requireQuotaRoom(String owner, long fileSize) {
        try {
            records.requireQuotaRoom(owner, fileSize);
        } catch (QuotaExceededException full) {
            if (!endAbandoned(owner)) {
                throw full;
            }
            // Quota was given back: the create's transaction decides (a second, eventually consistent read might
            // not see the release yet).
        }
    }

    /**
     * Writes the new record, counted against its owner's quota in the same transaction (the authority: inits racing
     * past {@link #requireQuotaRoom} are settled here). Refused at the cap, abandoned uploads are ended as there and
     * the write is tried once more.
     */
    private void createWithinQuota(Upload upload) {
        try {
            changes.created(upload);
        } catch (QuotaExceededException full) {
            if (!endAbandoned(upload.owner())) {
                throw full;
            }
            changes.created(upload);
        }
    }

    /**
     * Records an upload that needs no multipart upload (a browser POST's, {@link CompanionUploads}) as an init
     * records one: within the owner's quota, with its {@code upload.created} event.
     */
    void recordWithoutMultipart(Upload upload) {
        requireQuotaRoom(upload.owner(), upload.fileSize());
        createWithinQuota(upload);
    }

    /** Ends the owner's uploads past their deadline (up to a page); whether there was one. */
    private boolean endAbandoned(String owner) {
        Instant now = clock.instant();
        List<Upload> abandoned = records.listByOwner(owner, null, UploadStatus.UPLOADING, 100, null)
                .uploads().stream().filter(open -> open.isAbandoned(now)).toList();
        abandoned.forEach(reconciler::expire);
        return !abandoned.isEmpty();
    }

    /**
     * After a record write whose outcome is unknown: whether it took effect anyway (a timeout or lost answer after
     * DynamoDB applied it). Only a definite "no record" aborts the multipart upload; when even that cannot be
     * known, the upload is left to the sweeper, which aborts multipart uploads without a record and keeps those
     * with one.
     */
    private boolean recordedAfterAll(Upload upload) {
        Optional<Upload> stored;
        try {
            stored = records.find(upload.fileId());
        } catch (RuntimeException stillUnknown) {
            Log.warnf("Upload %s: its record may or may not exist; the sweeper settles its multipart upload",
                    upload.fileId());
            return false;
        }
        if (stored.isPresent() && upload.uploadId().equals(stored.get().uploadId())) {
            Log.infof("Upload %s: the record write failed in transit but took effect", upload.fileId());
            return true;
        }
        reconciler.abortQuietly(upload);
        return false;
    }

    /** The answer to a retried init: the same upload, with fresh URLs while it is still open. */
    private StartedUpload replay(Upload earlier, String requestHash, List<PartToSign> firstParts) {
        if (!Objects.equals(earlier.requestHash(), requestHash)) {
            throw new FreightException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for a different init request");
        }
        Upload current = current(earlier);
        return new StartedUpload(current, current.isUploading() ? partUrls.firstParts(current, firstParts) : List.of());
    }

    /**
     * URLs for the listed parts, or for the parts storage does not hold yet (up to a batch). With an
     * {@code upload_token} and a part list, the token alone says what to sign: no storage is read.
     *
     * @param uploadToken the token of the init or status answer, or null
     * @param parts the parts to sign, or null/empty for the parts storage lacks
     */
    public List<SignedPart> refreshUrls(String owner, UUID fileId, String uploadToken, List<PartToSign> parts) {
        boolean listed = listed(parts);
        if (uploadToken != null) {
            UploadGrant grant = tokens.verify(uploadToken, fileId, owner);
            if (listed) {
                return partUrls.granted(grant, parts);
            }
            if (grant.checksumAlgorithm() == ChecksumAlgorithm.SHA256) {
                throw digestsRequired();
            }
            // Which parts storage lacks is only known by asking it: the path below.
        }
        Upload upload = requireUploading(owned(owner, fileId));
        if (listed) {
            return partUrls.listed(upload, parts);
        }
        if (upload.checksummed()) {
            throw digestsRequired();
        }
        Set<Integer> held = storedParts(upload).stream().map(StoredPart::partNumber).collect(Collectors.toSet());
        return partUrls.missing(upload, held);
    }

    /**
     * Whether {@link #refreshUrls} with these arguments may read storage (and so must not run on an event loop):
     * only an {@code upload_token} with a part list signs from the token alone.
     */
    public static boolean refreshReadsStorage(String uploadToken, List<PartToSign> parts) {
        return uploadToken == null || !listed(parts);
    }

    private static boolean listed(List<PartToSign> parts) {
        return parts != null && !parts.isEmpty();
    }

    /** The upload with the parts storage holds (the truth a client resumes from). */
    public UploadProgress status(String owner, UUID fileId) {
        Upload upload = owned(owner, fileId);
        if (upload.status() == UploadStatus.COMPLETING && assemblies.running(fileId).isEmpty()) {
            // Assembled by an instance that died before recording it: the file is the truth.
            return new UploadProgress(reconciler.repairIfAssembled(upload).orElse(upload), List.of());
        }
        if (!upload.isUploading()) {
            return new UploadProgress(upload, List.of());
        }
        if (upload.isBrowserPost()) {
            // Nobody reports that a form's file arrived: storage is asked.
            return new UploadProgress(reconciler.recordIfArrived(upload).orElse(upload), List.of());
        }
        try {
            List<StoredPart> held = storage.listParts(upload.objectKey(), upload.uploadId());
            if (held.isEmpty()) {
                // No parts can also mean a complete assembled the file but died before recording it.
                Optional<Upload> repaired = reconciler.repairIfAssembled(upload);
                if (repaired.isPresent()) {
                    return new UploadProgress(repaired.get(), List.of());
                }
            }
            return new UploadProgress(upload, held);
        } catch (UploadGoneException gone) {
            return new UploadProgress(reconciler.reconcileVanished(upload), List.of());
        }
    }

    /**
     * Checks every part against storage, then has storage assemble the file and records it. Any mismatch answers
     * 409 naming the parts and leaves the upload resumable; completing an uploaded file answers the same again.
     * When the assembly takes longer than the configured wait, the upload answers {@code completing} and the
     * assembly goes on; a complete call meanwhile joins it instead of starting another.
     */
    public UploadProgress complete(String owner, UUID fileId, List<ClaimedPart> claimedParts) {
        long started = metrics.startComplete();
        Upload upload = owned(owner, fileId);
        if (upload.status() == UploadStatus.UPLOADED) {
            return new UploadProgress(upload, List.of());
        }
        if (upload.status() == UploadStatus.COMPLETING && !assemblyAbandoned(upload)) {
            // Answered at once (202 while it runs): a retry never holds a worker waiting for another call's assembly.
            return new UploadProgress(assemblies.outcomeIfDone(upload), List.of());
        }
        if (upload.status() != UploadStatus.COMPLETING) {
            requireUploading(upload);
        }
        Map<Integer, ClaimedPart> claimed = PartChecks.claimedParts(upload, claimedParts);
        Upload settled;
        try {
            settled = checkAndAssemble(upload, claimed, started);
        } catch (UploadGoneException | AssemblyRefusedException lostRace) {
            settled = afterLostRace(upload);
        }
        return new UploadProgress(settled, List.of());
    }

    /**
     * Checks the claimed parts against what storage holds, marks the upload {@code completing} and has storage
     * assemble the parts, waiting for the outcome a bounded time.
     *
     * @throws FreightException (409) naming the parts that are missing or wrong
     * @throws UploadGoneException when storage no longer knows the upload
     */
    private Upload checkAndAssemble(Upload upload, Map<Integer, ClaimedPart> claimed, long started) {
        List<StoredPart> held = storage.listParts(upload.objectKey(), upload.uploadId());
        List<StoredPart> parts;
        try {
            parts = PartChecks.partsToAssemble(upload, claimed, held);
        } catch (FreightException mismatch) {
            // A complete that assembled the file and died before recording it leaves no parts behind.
            return reconciler.repairIfAssembled(upload).orElseThrow(() -> mismatch);
        }
        Upload completing = upload.completing(clock.instant());
        try {
            records.update(completing);
        } catch (StaleUploadException raced) {
            return afterConcurrentChange(upload.fileId());
        }
        return assemblies.await(assemblies.start(upload.fileId(), () -> assemble(completing, parts, started)),
                completing);
    }

    /** Runs in the background: storage assembles the parts, then the file is recorded (or the upload reopened). */
    private Upload assemble(Upload completing, List<StoredPart> parts, long started) {
        try {
            AssembledObject assembled = storage.completeMultipartUpload(completing.objectKey(),
                    completing.uploadId(), parts, completing.checksummed());
            Upload recorded = reconciler.recordCompleted(completing, assembled, parts);
            metrics.uploadCompleted(completing.fileSize(), started);
            return recorded;
        } catch (UploadGoneException | AssemblyRefusedException lostRace) {
            reconciler.reopen(completing);
            return afterLostRace(completing);
        } catch (RuntimeException notAssembled) {
            // Storage unavailable, or its answer lost: the client may complete again (a repair finds a file).
            reconciler.reopen(completing);
            throw notAssembled;
        }
    }

    /** A {@code completing} upload whose assembly outlived its bound: its instance is taken to have died. */
    private boolean assemblyAbandoned(Upload upload) {
        return !upload.assemblyMayBeRunning(clock.instant(), settings.completeTimeout());
    }

    /** Another call changed the upload while this one completed it: its uploaded or completing state answers. */
    private Upload afterConcurrentChange(UUID fileId) {
        Upload now = records.find(fileId).orElseThrow(UploadService::notFound);
        if (now.status() == UploadStatus.COMPLETING) {
            return assemblies.outcomeIfDone(now);
        }
        if (now.status() == UploadStatus.UPLOADED) {
            return now;
        }
        throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                "The upload changed while it was completed; it is " + now.status().wireName());
    }

    /** Storage would not assemble: usually another complete got there first, and its file or record is the answer. */
    private Upload afterLostRace(Upload upload) {
        return reconciler.repairIfAssembled(upload)
                .or(() -> records.find(upload.fileId()).filter(found -> found.status() == UploadStatus.UPLOADED))
                .orElseThrow(UploadService::notAssembled);
    }

    /** Aborts the upload: storage deletes its parts, the record says {@code aborted}. Aborting again is fine. */
    public void abort(String owner, UUID fileId) {
        Upload upload = owned(owner, fileId);
        if (upload.status() == UploadStatus.ABORTED) {
            return;
        }
        requireUploading(upload);
        // S3 answers an abort 204, or 404 "NoSuchUpload: The specified multipart upload does not exist. The upload ID
        // might be invalid, or the multipart upload might have been aborted or completed."
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/mpUploadAbort.html). A 204 does not prove that no file was
        // assembled (S3 was seen answering 204 for hours after a complete: minio/minio#2250), but only a complete
        // assembles one, and it is recorded before it reaches storage (completing_since, kept when it reopens). So
        // storage is asked for the file only when that record is there, when S3 no longer knew the upload, or when
        // the record changed meanwhile; and for a browser POST, which has no multipart upload and whose file may have
        // arrived. Parts in flight "might or might not succeed" (same page): the sweeper and the lifecycle rule.
        boolean abortedNow = !upload.isBrowserPost()
                && storage.abortMultipartUpload(upload.objectKey(), upload.uploadId());
        boolean fileMayExist = !abortedNow || upload.assemblyAsked();
        Upload aborted = upload;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (fileMayExist) {
                // A complete racing with this abort may have assembled the file first: then the file wins.
                Optional<Upload> assembled = reconciler.repairIfAssembled(aborted);
                if (assembled.isPresent()) {
                    aborted = assembled.get();
                    break;
                }
            }
            aborted = reconciler.recordEnded(aborted, UploadStatus.ABORTED, null);
            if (aborted.status() == UploadStatus.ABORTED || aborted.status() == UploadStatus.UPLOADED) {
                break;
            }
            // A concurrent call recorded a failure, or started (or gave up) assembling the parts this abort just
            // deleted: without a file, the upload is aborted.
            fileMayExist = true;
        }
        if (aborted.status() != UploadStatus.ABORTED) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "The upload became " + aborted.status().wireName() + " before it could be aborted");
        }
        metrics.uploadAborted();
        Log.infof("Upload %s aborted", fileId);
    }

    /**
     * A presigned GET for an uploaded file; with {@code byParts}, also one ranged GET per part with the part's
     * SHA-256 (SHA256 uploads), so a client can fetch in parallel and check every part: at most
     * {@code freight.upload.download-batch-size} parts from {@code firstPart} on, so one call signs a bounded number
     * of URLs; the answer names the next page's first part.
     *
     * @param firstPart the first part number to sign (1 for the first page)
     */
    public Download download(String owner, UUID fileId, boolean byParts, int firstPart) {
        Upload upload = owned(owner, fileId);
        if (upload.status() != UploadStatus.UPLOADED) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "The file can be downloaded once it is uploaded; it is " + upload.status().wireName());
        }
        PartPlan plan = upload.partPlan();
        if (byParts && firstPart > plan.partCount()) {
            throw InitRules.invalid("first_part", "must be at most the part count, " + plan.partCount());
        }
        SignedUrl whole = signer.signDownload(upload.objectKey(), upload.filename(), upload.fileType(),
                settings.urlTtl());
        if (!byParts) {
            return new Download(upload, whole, null, null);
        }
        int lastPart = (int) Math.min(plan.partCount(), (long) firstPart + settings.downloadBatchSize() - 1);
        List<String> digests = records.partChecksums(upload);
        List<Download.Part> parts = IntStream.rangeClosed(firstPart, lastPart).mapToObj(partNumber -> {
            long offset = (partNumber - 1) * plan.partSize();
            long size = plan.sizeOf(partNumber);
            return new Download.Part(partNumber, offset, size,
                    digests.size() == plan.partCount() ? digests.get(partNumber - 1) : null,
                    signer.signRangeDownload(upload.objectKey(), offset, size, settings.urlTtl()));
        }).toList();
        return new Download(upload, whole, parts, lastPart < plan.partCount() ? lastPart + 1 : null);
    }

    /**
     * The caller's own uploads, newest first; {@code authorName} (by default the caller's name, when the token has
     * one) and {@code status} narrow them.
     */
    public UploadPage list(String owner, String callerName, String authorName, UploadStatus status, int limit,
            String pageToken) {
        UploadPage page = records.listByOwner(owner, authorName != null ? authorName : callerName, status, limit,
                pageToken);
        if (page.uploads().stream().noneMatch(upload -> upload.isBrowserPost() && upload.isUploading())) {
            return page;
        }
        // Files sent by browser POST forms are listed as storage holds them (one HEAD each, only for those).
        return new UploadPage(page.uploads().stream().map(upload -> upload.isBrowserPost() && upload.isUploading()
                ? reconciler.recordIfArrived(upload).orElse(upload) : upload).toList(), page.nextToken());
    }

    private List<StoredPart> storedParts(Upload upload) {
        try {
            return storage.listParts(upload.objectKey(), upload.uploadId());
        } catch (UploadGoneException gone) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "Storage no longer holds this upload; it is now "
                            + reconciler.reconcileVanished(upload).status().wireName());
        }
    }

    private Upload owned(String owner, UUID fileId) {
        return current(records.find(fileId).filter(upload -> upload.owner().equals(owner))
                .orElseThrow(UploadService::notFound));
    }

    /**
     * The upload as it stands now: an unfinished one past its deadline has failed, unless its assembly may still be
     * running (the sweeper's rule: the assembly started before the deadline, and aborting now would destroy it).
     */
    private Upload current(Upload upload) {
        Instant now = clock.instant();
        return upload.isAbandoned(now) && !upload.assemblyMayBeRunning(now, settings.completeTimeout())
                ? reconciler.expire(upload) : upload;
    }

    private static Upload requireUploading(Upload upload) {
        if (!upload.isUploading()) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "Only an uploading file accepts this; it is " + upload.status().wireName());
        }
        return upload;
    }

    private static FreightException digestsRequired() {
        return InitRules.invalid("parts", "must list each part with its checksum_sha256: URLs of a SHA256 upload are"
                + " signed for the part's digest");
    }

    /** Storage did not assemble the parts (another call's assembly gave up, or a race was lost without a file). */
    static FreightException notAssembled() {
        return new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                "Storage did not assemble the parts; check the status and complete again");
    }

    static FreightException notFound() {
        return new FreightException(ProblemType.UPLOAD_NOT_FOUND, "No upload with this file_id");
    }
}
