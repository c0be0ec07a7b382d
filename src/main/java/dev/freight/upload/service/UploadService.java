package dev.freight.upload.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.problem.StorageUnavailableException;
import dev.freight.upload.api.CompleteRequest;
import dev.freight.upload.api.CompletedPartRequest;
import dev.freight.upload.api.InitRequest;
import dev.freight.upload.api.PartUrlRequest;
import dev.freight.upload.api.RefreshUrlsRequest;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.Download;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.SignedPart;
import dev.freight.upload.model.StartedUpload;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadGrant;
import dev.freight.upload.model.UploadProgress;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.CompositeChecksum;
import dev.freight.upload.storage.AssemblyRefusedException;
import dev.freight.upload.storage.MetadataStore;
import dev.freight.upload.storage.PresignService;
import dev.freight.upload.storage.QuotaExceededException;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.storage.StaleUploadException;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.storage.UploadExistsException;
import dev.freight.upload.storage.UploadGoneException;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.S3Limits;
import io.quarkus.logging.Log;

/**
 * The rules of an upload's life: sizing, which states accept which calls, checking parts before assembly, and
 * keeping the metadata record in step with storage. Every call is scoped to the owner that started the upload.
 */
@ApplicationScoped
public class UploadService {

    private final PresignService storage;
    private final MetadataStore metadata;
    private final FreightConfig.Upload settings;
    private final Clock clock;
    @Inject
    UploadMetrics metrics;
    @Inject
    UploadTokens tokens;

    UploadService(PresignService storage, MetadataStore metadata, FreightConfig config) {
        this.storage = storage;
        this.metadata = metadata;
        this.settings = config.upload();
        this.clock = Clock.systemUTC();
    }

    /**
     * Records a new upload, starts its multipart upload in storage, and signs URLs for its first parts. With an
     * Idempotency-Key, a retry of the same request returns the same upload; the same key with another request is
     * refused (422).
     *
     * @param callerName the author when the request names none (the token's name), or null
     * @param idempotencyKey the client's Idempotency-Key header, or null
     */
    public StartedUpload init(String owner, String callerName, InitRequest request, String idempotencyKey) {
        if (request.fileSize() > Math.min(settings.maxFileSize(), S3Limits.MAX_OBJECT_SIZE)) {
            throw invalid("file_size", "must be at most " + Math.min(settings.maxFileSize(), S3Limits.MAX_OBJECT_SIZE));
        }
        if (!FileTypes.allowed(request.fileType(), settings.allowedFileTypes())) {
            throw invalid("file_type", "is not an accepted type (accepted: "
                    + String.join(", ", settings.allowedFileTypes().orElseThrow()) + ")");
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromWireName(request.checksumAlgorithm());
        if (algorithm == ChecksumAlgorithm.NONE && request.parts() != null) {
            throw invalid("parts", "is only for checksum_algorithm SHA256 (without it the first URLs come unasked)");
        }
        String authorName = authorOrCaller(request.authorName(), callerName);
        UUID fileId = idempotencyKey == null ? UUID.randomUUID() : IdempotentInit.fileId(owner, idempotencyKey);
        String requestHash = idempotencyKey == null ? null : IdempotentInit.fingerprint(request, authorName);
        if (idempotencyKey != null) {
            Optional<Upload> earlier = metadata.find(fileId);
            if (earlier.isPresent()) {
                return replay(earlier.get(), requestHash, request.parts());
            }
        }
        long wishedPartSize = request.partSize() != null ? request.partSize() : settings.defaultPartSize();
        PartPlan plan = PartPlan.of(request.fileSize(), wishedPartSize, settings.minPartSize(), settings.maxPartSize());
        if (request.parts() != null) {
            // Checked before anything is written: a bad part list starts no multipart upload.
            if (request.parts().size() > settings.urlBatchSize()) {
                throw invalid("parts", "at most " + settings.urlBatchSize() + " parts per request");
            }
            requireValidPartList(plan, algorithm, request.parts());
        }

        // The key starts with the file id (spreads S3 partitions) and holds no client input.
        String objectKey = fileId.toString();
        Instant now = clock.instant();
        Instant resumableUntil = now.plus(settings.expireAfter());
        // Over the owner's quota nothing is started; create() re-checks atomically with the record.
        checkQuota(owner, request.fileSize());
        String uploadId = storage.startMultipartUpload(objectKey, request.fileType(),
                algorithm == ChecksumAlgorithm.SHA256);
        Upload upload = new Upload(fileId, owner, request.filename(), request.fileType(), request.fileSize(),
                authorName, request.createdAt() != null ? request.createdAt() : now, now, uploadId,
                objectKey, plan.partSize(), plan.partCount(), algorithm, request.checksumSha256(), request.metadata(),
                UploadStatus.UPLOADING, null, null, null, null, null, resumableUntil,
                resumableUntil.plus(settings.endedRetention()), requestHash, 1);
        try {
            metadata.create(upload);
        } catch (UploadExistsException concurrentRetry) {
            abortQuietly(upload);
            return replay(metadata.find(fileId).orElseThrow(UploadService::notFound), requestHash, request.parts());
        } catch (RuntimeException recordFailed) {
            boolean mayHaveApplied = recordFailed instanceof StorageUnavailableException unavailable
                    && unavailable.outcomeUnknown();
            if (!mayHaveApplied) {
                // Without a record nobody can resume or abort it: do not leave the multipart upload behind.
                abortQuietly(upload);
                throw recordFailed;
            }
            if (!recordedAfterAll(upload)) {
                throw recordFailed;
            }
        }
        metrics.uploadInitiated();
        Log.infof("Upload %s initiated: %d bytes in %d parts (checksum %s)", fileId, upload.fileSize(),
                upload.partCount(), algorithm);
        return new StartedUpload(upload, signFirstParts(upload, request.parts()));
    }

    /**
     * Refuses an init the owner's quota cannot hold; before refusing, ends the owner's uploads that are past their
     * deadline (which gives their quota back), so abandoned uploads never hold quota waiting for the sweeper.
     */
    private void checkQuota(String owner, long fileSize) {
        try {
            metadata.checkQuota(owner, fileSize);
        } catch (QuotaExceededException full) {
            Instant now = clock.instant();
            List<Upload> abandoned = metadata.listByOwner(owner, null, UploadStatus.UPLOADING, 100, null).uploads()
                    .stream().filter(upload -> upload.isAbandoned(now)).toList();
            if (abandoned.isEmpty()) {
                throw full;
            }
            abandoned.forEach(this::expire);
            metadata.checkQuota(owner, fileSize);
        }
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
            stored = metadata.find(upload.fileId());
        } catch (RuntimeException stillUnknown) {
            Log.warnf("Upload %s: its record may or may not exist; the sweeper settles its multipart upload",
                    upload.fileId());
            return false;
        }
        if (stored.isPresent() && upload.uploadId().equals(stored.get().uploadId())) {
            Log.infof("Upload %s: the record write failed in transit but took effect", upload.fileId());
            return true;
        }
        abortQuietly(upload);
        return false;
    }

    /** The answer to a retried init: the same upload, with fresh URLs while it is still open. */
    private StartedUpload replay(Upload earlier, String requestHash, List<PartUrlRequest> firstParts) {
        if (!Objects.equals(earlier.requestHash(), requestHash)) {
            throw new FreightException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for a different init request");
        }
        Upload current = current(earlier);
        return new StartedUpload(current, current.isUploading() ? signFirstParts(current, firstParts) : List.of());
    }

    /**
     * The URLs init answers: for an upload without an algorithm the first batch of parts; for a SHA256 upload the
     * parts the request listed with their digests (a URL without a checksum is never signed for such an upload).
     */
    private List<SignedPart> signFirstParts(Upload upload, List<PartUrlRequest> requested) {
        if (upload.checksummed()) {
            return requested == null ? List.of() : signListed(upload, requested);
        }
        int firstBatch = Math.min(upload.partCount(), settings.urlBatchSize());
        return IntStream.rangeClosed(1, firstBatch).mapToObj(partNumber -> signPart(upload, partNumber, null)).toList();
    }

    /** The token path: the same part-list rules, the grant's plan, no record read (storage refuses ended uploads). */
    private List<SignedPart> signGranted(UploadGrant grant, List<PartUrlRequest> parts) {
        if (parts.size() > settings.urlBatchSize()) {
            throw invalid("parts", "at most " + settings.urlBatchSize() + " parts per request");
        }
        PartPlan plan = grant.partPlan();
        requireValidPartList(plan, grant.checksumAlgorithm(), parts);
        List<SignedPart> signed = new ArrayList<>(parts.size());
        for (PartUrlRequest part : parts) {
            metrics.partUrlSigned(part.checksumSha256() != null);
            long size = plan.sizeOf(part.partNumber());
            signed.add(new SignedPart(part.partNumber(), size, storage.signPartUpload(grant.objectKey(),
                    grant.uploadId(), part.partNumber(), size, part.checksumSha256(), settings.urlTtl())));
        }
        return signed;
    }

    private List<SignedPart> signListed(Upload upload, List<PartUrlRequest> parts) {
        requireValidPartList(upload.partPlan(), upload.checksumAlgorithm(), parts);
        return parts.stream().map(part -> signPart(upload, part.partNumber(), part.checksumSha256())).toList();
    }

    /**
     * URLs for the requested parts, or for the parts storage does not hold yet (up to a batch). With an
     * {@code upload_token} and a part list, the token alone says what to sign: no storage is read.
     */
    public List<SignedPart> refreshUrls(String owner, RefreshUrlsRequest request) {
        if (request.uploadToken() != null) {
            UploadGrant grant = tokens.verify(request.uploadToken(), request.fileId(), owner);
            if (request.parts() != null && !request.parts().isEmpty()) {
                return signGranted(grant, request.parts());
            }
            if (grant.checksumAlgorithm() == ChecksumAlgorithm.SHA256) {
                throw invalid("parts", "must list each part with its checksum_sha256: URLs of a SHA256 upload are"
                        + " signed for the part's digest");
            }
            // Which parts storage lacks is only known by asking it: today's path below.
        }
        Upload upload = requireUploading(owned(owner, request.fileId()));
        if (request.parts() == null || request.parts().isEmpty()) {
            if (upload.checksummed()) {
                throw invalid("parts", "must list each part with its checksum_sha256: URLs of a SHA256 upload are"
                        + " signed for the part's digest");
            }
            Set<Integer> held = storedParts(upload).stream().map(StoredPart::partNumber).collect(Collectors.toSet());
            return IntStream.rangeClosed(1, upload.partCount()).filter(partNumber -> !held.contains(partNumber))
                    .limit(settings.urlBatchSize()).mapToObj(partNumber -> signPart(upload, partNumber, null)).toList();
        }
        if (request.parts().size() > settings.urlBatchSize()) {
            throw invalid("parts", "at most " + settings.urlBatchSize() + " parts per request");
        }
        return signListed(upload, request.parts());
    }

    /** The upload with the parts storage holds (the truth a client resumes from). */
    public UploadProgress status(String owner, UUID fileId) {
        Upload upload = owned(owner, fileId);
        if (!upload.isUploading()) {
            return new UploadProgress(upload, List.of());
        }
        try {
            List<StoredPart> held = storage.listParts(upload.objectKey(), upload.uploadId());
            if (held.isEmpty()) {
                // No parts can also mean a complete assembled the file but died before recording it.
                Optional<Upload> repaired = repairIfAssembled(upload);
                if (repaired.isPresent()) {
                    return new UploadProgress(repaired.get(), List.of());
                }
            }
            return new UploadProgress(upload, held);
        } catch (UploadGoneException gone) {
            return new UploadProgress(reconcileVanishedUpload(upload), List.of());
        }
    }

    /**
     * Checks every part against storage, then has storage assemble the file and records it. Any mismatch answers
     * 409 naming the parts and leaves the upload resumable; completing an uploaded file answers the same again.
     */
    public UploadProgress complete(String owner, CompleteRequest request) {
        long started = metrics.startComplete();
        Upload upload = owned(owner, request.fileId());
        if (upload.status() == UploadStatus.UPLOADED) {
            return new UploadProgress(upload, List.of());
        }
        requireUploading(upload);
        Map<Integer, CompletedPartRequest> claimed = claimedParts(upload, request.parts());
        List<StoredPart> held;
        List<StoredPart> parts;
        AssembledObject assembled;
        try {
            held = storage.listParts(upload.objectKey(), upload.uploadId());
            try {
                parts = checkParts(upload, claimed, held);
            } catch (FreightException mismatch) {
                // A complete that assembled the file and died before recording it leaves no parts behind.
                Optional<Upload> repaired = repairIfAssembled(upload);
                if (repaired.isPresent()) {
                    return new UploadProgress(repaired.get(), List.of());
                }
                throw mismatch;
            }
            assembled = storage.completeMultipartUpload(upload.objectKey(), upload.uploadId(), parts,
                    upload.checksummed());
        } catch (UploadGoneException | AssemblyRefusedException lostRace) {
            // Usually another complete got there first: its file, or its record, is the answer.
            Upload now = repairIfAssembled(upload)
                    .or(() -> metadata.find(upload.fileId()).filter(found -> found.status() == UploadStatus.UPLOADED))
                    .orElseThrow(() -> new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                            "Storage did not assemble the parts; check the status and complete again"));
            return new UploadProgress(now, List.of());
        }
        Upload recorded = recordChecked(upload, assembled, parts);
        metrics.uploadCompleted(upload.fileSize(), started);
        return new UploadProgress(recorded, List.of());
    }

    /**
     * Records the assembled file of a complete. For a SHA256 upload, storage's composite checksum must be the one
     * the parts' digests give (a mismatch means the object is not these parts: the upload failed); where storage
     * reports none, the composite of the checked parts is recorded.
     */
    private Upload recordChecked(Upload upload, AssembledObject assembled, List<StoredPart> parts) {
        if (!upload.checksummed()) {
            return recordAssembled(upload, assembled, List.of());
        }
        String expected = CompositeChecksum.of(parts);
        if (assembled.checksumSha256() != null && !assembled.checksumSha256().equals(expected)) {
            Log.errorf("Upload %s: storage assembled an object with checksum %s, its parts give %s", upload.fileId(),
                    assembled.checksumSha256(), expected);
            recordEnded(upload, UploadStatus.FAILED);
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "The assembled object does not match its parts' checksums; the upload failed");
        }
        AssembledObject checked = new AssembledObject(assembled.etag(), expected, assembled.size(),
                assembled.location());
        return recordAssembled(upload, checked, parts.stream().map(StoredPart::checksumSha256).toList());
    }

    /** Aborts the upload: storage deletes its parts, the record says {@code aborted}. Aborting again is fine. */
    public void abort(String owner, UUID fileId) {
        Upload upload = owned(owner, fileId);
        if (upload.status() == UploadStatus.ABORTED) {
            return;
        }
        requireUploading(upload);
        storage.abortMultipartUpload(upload.objectKey(), upload.uploadId());
        // A complete racing with this abort may have assembled the file first: then the file wins.
        Upload aborted = repairIfAssembled(upload).orElseGet(() -> recordEnded(upload, UploadStatus.ABORTED));
        if (aborted.status() == UploadStatus.FAILED) {
            // A concurrent call found the parts gone and recorded a failure; this abort is why they went.
            aborted = recordEnded(aborted, UploadStatus.ABORTED);
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
     * SHA-256 (SHA256 uploads), so a client can fetch in parallel and check every part.
     */
    public Download download(String owner, UUID fileId, boolean byParts) {
        Upload upload = owned(owner, fileId);
        if (upload.status() != UploadStatus.UPLOADED) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "The file can be downloaded once it is uploaded; it is " + upload.status().wireName());
        }
        SignedUrl whole = storage.signDownload(upload.objectKey(), upload.filename(), upload.fileType(),
                settings.urlTtl());
        if (!byParts) {
            return new Download(upload, whole, null);
        }
        PartPlan plan = upload.partPlan();
        List<String> digests = upload.partChecksums();
        List<Download.Part> parts = IntStream.rangeClosed(1, plan.partCount()).mapToObj(partNumber -> {
            long offset = (partNumber - 1) * plan.partSize();
            long size = plan.sizeOf(partNumber);
            return new Download.Part(partNumber, offset, size,
                    digests.size() == plan.partCount() ? digests.get(partNumber - 1) : null,
                    storage.signRangeDownload(upload.objectKey(), offset, size, settings.urlTtl()));
        }).toList();
        return new Download(upload, whole, parts);
    }

    /**
     * The caller's own uploads, newest first; {@code authorName} (by default the caller's name, when the token has
     * one) and {@code status} narrow them.
     */
    public UploadPage list(String owner, String callerName, String authorName, UploadStatus status, int limit,
            String pageToken) {
        return metadata.listByOwner(owner, authorName != null ? authorName : callerName, status, limit, pageToken);
    }

    /** The author a request names, else the caller's own name; one of them is required. */
    private static String authorOrCaller(String requested, String callerName) {
        String author = requested != null ? requested : callerName;
        if (author == null) {
            throw invalid("author_name", "must not be null");
        }
        return author;
    }

    private SignedPart signPart(Upload upload, int partNumber, String checksumSha256) {
        metrics.partUrlSigned(checksumSha256 != null);
        long size = upload.partPlan().sizeOf(partNumber);
        return new SignedPart(partNumber, size, storage.signPartUpload(upload.objectKey(), upload.uploadId(),
                partNumber, size, checksumSha256, settings.urlTtl()));
    }

    private List<StoredPart> storedParts(Upload upload) {
        try {
            return storage.listParts(upload.objectKey(), upload.uploadId());
        } catch (UploadGoneException gone) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "Storage no longer holds this upload; it is now " + reconcileVanishedUpload(upload).status().wireName());
        }
    }

    /** The client's part list must name each part of the plan at most once; checksums only for SHA256 uploads. */
    private static Map<Integer, CompletedPartRequest> claimedParts(Upload upload, List<CompletedPartRequest> parts) {
        List<FieldError> errors = partNumberErrors(upload.partPlan(),
                parts.stream().map(CompletedPartRequest::partNumber).toList());
        if (!upload.checksummed()) {
            for (int index = 0; index < parts.size(); index++) {
                if (parts.get(index).checksumSha256() != null) {
                    errors.add(new FieldError("parts[" + index + "].checksum_sha256",
                            "must be absent: this upload was created without checksum_algorithm"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The part list is invalid", errors);
        }
        return parts.stream().collect(Collectors.toMap(CompletedPartRequest::partNumber, Function.identity()));
    }

    /**
     * A list of parts to sign names parts of the plan, each at most once, each with a checksum for a SHA256 upload
     * and none for an upload without an algorithm (S3 refuses a checksummed part of such an upload).
     */
    private static void requireValidPartList(PartPlan plan, ChecksumAlgorithm algorithm, List<PartUrlRequest> parts) {
        List<FieldError> errors = partNumberErrors(plan, parts.stream().map(PartUrlRequest::partNumber).toList());
        for (int index = 0; index < parts.size(); index++) {
            String checksum = parts.get(index).checksumSha256();
            if (algorithm == ChecksumAlgorithm.SHA256 && checksum == null) {
                errors.add(new FieldError("parts[" + index + "].checksum_sha256",
                        "is required: URLs of a SHA256 upload are signed for the part's digest"));
            } else if (algorithm == ChecksumAlgorithm.NONE && checksum != null) {
                errors.add(new FieldError("parts[" + index + "].checksum_sha256",
                        "must be absent: this upload was created without checksum_algorithm, and storage refuses"
                                + " checksummed parts for it"));
            }
        }
        if (!errors.isEmpty()) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The part list is invalid", errors);
        }
    }

    /** Entries that name no part of the plan, or a part named before. */
    private static List<FieldError> partNumberErrors(PartPlan plan, List<Integer> partNumbers) {
        List<FieldError> errors = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int index = 0; index < partNumbers.size(); index++) {
            int partNumber = partNumbers.get(index);
            if (!plan.contains(partNumber)) {
                errors.add(new FieldError("parts[" + index + "].part_number",
                        "must be between 1 and " + plan.partCount()));
            } else if (!seen.add(partNumber)) {
                errors.add(new FieldError("parts[" + index + "].part_number", "is listed twice"));
            }
        }
        return errors;
    }

    /**
     * Compares the plan, the client's parts and what storage holds; returns the parts to assemble, each with its
     * SHA-256 for a SHA256 upload (storage's, else the client's where storage reports none).
     */
    private static List<StoredPart> checkParts(Upload upload, Map<Integer, CompletedPartRequest> claimed,
            List<StoredPart> held) {
        Map<Integer, StoredPart> heldByNumber = held.stream()
                .collect(Collectors.toMap(StoredPart::partNumber, Function.identity()));
        PartPlan plan = upload.partPlan();
        List<FieldError> errors = new ArrayList<>();
        List<Map<String, Object>> wrongParts = new ArrayList<>();
        List<StoredPart> parts = new ArrayList<>(plan.partCount());
        for (int partNumber = 1; partNumber <= plan.partCount(); partNumber++) {
            StoredPart stored = heldByNumber.get(partNumber);
            CompletedPartRequest client = claimed.get(partNumber);
            String problem = null;
            if (stored == null) {
                problem = "missing: storage does not hold this part";
            } else if (client == null) {
                problem = "not listed in the request";
            } else if (!sameEtag(stored.etag(), client.etag())) {
                problem = "etag does not match the part storage holds";
            } else if (stored.size() != plan.sizeOf(partNumber)) {
                problem = "size is " + stored.size() + " bytes, expected " + plan.sizeOf(partNumber);
            } else if (upload.checksummed()) {
                if (stored.checksumSha256() != null && client.checksumSha256() != null
                        && !stored.checksumSha256().equals(client.checksumSha256())) {
                    problem = "checksum_sha256 does not match the part storage holds";
                } else if (stored.checksumSha256() == null && client.checksumSha256() == null) {
                    problem = "checksum unknown: storage reports none for this part; send its checksum_sha256";
                } else if (stored.checksumSha256() == null) {
                    stored = new StoredPart(partNumber, stored.size(), stored.etag(), client.checksumSha256());
                }
            }
            if (problem != null) {
                errors.add(new FieldError("parts[" + partNumber + "]", problem));
                wrongParts.add(Map.of("part_number", partNumber, "problem", problem));
            } else {
                parts.add(stored);
            }
        }
        if (!errors.isEmpty()) {
            throw new FreightException(ProblemType.PARTS_MISMATCH,
                    wrongParts.size() + " part(s) are missing or wrong; re-send them and complete again", errors,
                    Map.of("parts", wrongParts), null);
        }
        return parts;
    }

    private static boolean sameEtag(String stored, String claimed) {
        return stored != null && unquoted(stored).equals(unquoted(claimed));
    }

    private static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    /**
     * Storage no longer knows the multipart upload: either a previous complete assembled the object but did not
     * get to record it (the record is repaired), or the parts are gone for good (the upload failed).
     */
    private Upload reconcileVanishedUpload(Upload upload) {
        return repairIfAssembled(upload).orElseGet(() -> {
            Log.warnf("Upload %s vanished from storage; recorded as failed", upload.fileId());
            return recordEnded(upload, UploadStatus.FAILED);
        });
    }

    /**
     * When storage holds the assembled object (its multipart ETag names this upload's part count, its size is the
     * declared one, and for a SHA256 upload its composite checksum names the part count), records the upload as
     * uploaded: reconciliation after a crash between assembling and recording.
     */
    private Optional<Upload> repairIfAssembled(Upload upload) {
        String partsSuffix = "-" + upload.partCount();
        return storage.findObject(upload.objectKey())
                .filter(object -> object.etag() != null && unquoted(object.etag()).endsWith(partsSuffix))
                .filter(object -> object.size() == null || object.size() == upload.fileSize())
                .filter(object -> !upload.checksummed() || object.checksumSha256() == null
                        || object.checksumSha256().endsWith(partsSuffix))
                .map(object -> {
                    Log.warnf("Upload %s was assembled but not recorded; repairing the record", upload.fileId());
                    metrics.uploadSettled(UploadStatus.UPLOADED, upload.fileSize());
                    // The parts' digests went with the multipart upload; the composite checksum stays.
                    return recordAssembled(upload, object, List.of());
                });
    }

    /**
     * Records that storage holds the assembled file. The file is the truth: a concurrent write that recorded
     * anything else (a failure seen mid-assembly) is overwritten; one that recorded the upload already wins.
     */
    private Upload recordAssembled(Upload upload, AssembledObject object, List<String> partChecksums) {
        Upload current = upload;
        for (int attempt = 0; attempt < 3; attempt++) {
            Upload completed = current.completed(object.etag(), object.checksumSha256(), partChecksums,
                    object.location(), clock.instant());
            try {
                metadata.update(completed);
                return completed;
            } catch (StaleUploadException lost) {
                current = metadata.find(upload.fileId()).orElseThrow(UploadService::notFound);
                if (current.status() == UploadStatus.UPLOADED) {
                    return current;
                }
            }
        }
        throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                "The upload kept changing while its file was recorded; complete again");
    }

    /**
     * Ends an upload past its deadline: storage drops its parts and the record says {@code failed} until the TTL
     * removes it. Called lazily on access and by the sweeper.
     */
    Upload expire(Upload upload) {
        abortQuietly(upload);
        Optional<Upload> assembled = repairIfAssembled(upload);
        if (assembled.isPresent()) {
            return assembled.get();
        }
        Log.infof("Upload %s expired unfinished", upload.fileId());
        return recordEnded(upload, UploadStatus.FAILED);
    }

    /** The upload as it stands now: an unfinished one past its deadline has failed. */
    private Upload current(Upload upload) {
        return upload.isAbandoned(clock.instant()) ? expire(upload) : upload;
    }

    /** Records that the upload ended without a file; the record stays readable for the retention period. */
    private Upload recordEnded(Upload upload, UploadStatus finalStatus) {
        metrics.uploadSettled(finalStatus, upload.fileSize());
        return record(upload.ended(finalStatus, clock.instant().plus(settings.endedRetention())));
    }

    /** Writes {@code next}; when another request changed the record first, its final state wins. */
    private Upload record(Upload next) {
        try {
            metadata.update(next);
            return next;
        } catch (StaleUploadException lost) {
            return metadata.find(next.fileId()).orElseThrow(() -> notFound());
        }
    }

    private Upload owned(String owner, UUID fileId) {
        return current(metadata.find(fileId).filter(upload -> upload.owner().equals(owner))
                .orElseThrow(UploadService::notFound));
    }

    private static Upload requireUploading(Upload upload) {
        if (!upload.isUploading()) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "Only an uploading file accepts this; it is " + upload.status().wireName());
        }
        return upload;
    }

    private void abortQuietly(Upload upload) {
        try {
            storage.abortMultipartUpload(upload.objectKey(), upload.uploadId());
        } catch (RuntimeException alsoFailed) {
            Log.warnf("Could not abort the multipart upload of %s; the bucket lifecycle rule will", upload.fileId());
        }
    }

    private static FreightException notFound() {
        return new FreightException(ProblemType.UPLOAD_NOT_FOUND, "No upload with this file_id");
    }

    private static FreightException invalid(String field, String message) {
        return new FreightException(ProblemType.INVALID_REQUEST, field + " " + message,
                List.of(new FieldError(field, message)));
    }
}
