package dev.freight.upload.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.PostForm;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadProgress;
import dev.freight.upload.model.UploadStatus;
import io.quarkus.logging.Log;

/**
 * Uppy Companion's S3 protocol on Freight's uploads. Uppy declares neither a size nor a part count: a multipart
 * upload starts as a plain upload of 0 bytes (one open upload, no open bytes), and complete learns its size from
 * what storage holds (every ListParts page), checks it against the maximum file size and counts it against the
 * owner's open bytes before storage assembles the parts. A small file goes whole in a browser POST form; its upload
 * counts the form's bound until the file arrives. The upload's key is its file id, the upload id storage's: every
 * call names both, and both must belong to the caller.
 */
@ApplicationScoped
public class CompanionUploads {

    private final UploadService uploads;
    private final UploadRecords records;
    private final MultipartStorage storage;
    private final CompanionSigning companionSigner;
    private final UrlSigner signer;
    private final UploadMetrics metrics;
    private final Clock clock;
    private final FreightConfig.Upload settings;
    private final FreightConfig.Companion companion;

    public CompanionUploads(UploadService uploads, UploadRecords records, MultipartStorage storage,
            CompanionSigning companionSigner, UrlSigner signer, UploadMetrics metrics, Clock clock,
            FreightConfig config) {
        this.uploads = uploads;
        this.records = records;
        this.storage = storage;
        this.companionSigner = companionSigner;
        this.signer = signer;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = config.upload();
        this.companion = config.companion();
    }

    /** Starts a multipart upload of unknown size (the fields checked for shape by the HTTP layer). */
    public Upload start(String owner, String author, String filename, String fileType, Map<String, String> metadata) {
        NewUpload request = new NewUpload(filename, fileType, 0, null, null, null, ChecksumAlgorithm.NONE, null,
                metadata, null);
        return uploads.init(owner, author, request, null).upload();
    }

    /**
     * A PUT URL for one part: bound to the key, the upload, the part number and an expiry (no size is known to bind
     * until complete; once it is, the part's size is signed too).
     */
    public SignedUrl signPart(String owner, String key, String uploadId, int partNumber) {
        if (partNumber < 1 || partNumber > S3Limits.MAX_PARTS) {
            throw InitRules.invalid("partNumber", "must be between 1 and " + S3Limits.MAX_PARTS);
        }
        Upload upload = requireUploading(find(owner, key, uploadId));
        if (upload.sizePending()) {
            metrics.partUrlSigned(false);
            return companionSigner.signPart(upload.objectKey(), upload.uploadId(), partNumber, settings.urlTtl());
        }
        if (!upload.partPlan().contains(partNumber)) {
            throw InitRules.invalid("partNumber", "must be between 1 and " + upload.partCount());
        }
        metrics.partUrlSigned(false);
        return signer.signPartUpload(upload.objectKey(), upload.uploadId(), partNumber,
                upload.partPlan().sizeOf(partNumber), null, settings.urlTtl());
    }

    /** Every part storage holds for the upload (all ListParts pages), for a client resuming it. */
    public List<StoredPart> parts(String owner, String key, String uploadId) {
        Upload upload = find(owner, key, uploadId);
        UploadProgress progress = uploads.status(owner, upload.fileId());
        requireUploading(progress.upload());
        return progress.storedParts();
    }

    /**
     * Sizes the upload from the parts storage holds, counts the size against the owner's quota, then completes it
     * as any other upload (the claimed ETags checked against storage, quotes or not).
     */
    public Upload complete(String owner, String key, String uploadId, List<ClaimedPart> claimed) {
        Upload upload = find(owner, key, uploadId);
        if (upload.sizePending() && upload.isUploading()) {
            sizeFromStorage(upload, claimed);
        }
        return uploads.complete(owner, upload.fileId(), claimed).upload();
    }

    private void sizeFromStorage(Upload upload, List<ClaimedPart> claimed) {
        List<StoredPart> held;
        try {
            held = storage.listParts(upload.objectKey(), upload.uploadId());
        } catch (UploadGoneException gone) {
            // Lets the status settle the record (repaired or failed) and answer it.
            requireUploading(uploads.status(upload.owner(), upload.fileId()).upload());
            throw gone;
        }
        PartPlan plan = planOf(held);
        long maxFileSize = Math.min(settings.maxFileSize(), S3Limits.MAX_OBJECT_SIZE);
        if (plan.fileSize() > maxFileSize) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The parts hold " + plan.fileSize()
                    + " bytes, over the largest file accepted (" + maxFileSize + "); abort the upload",
                    List.of(new FieldError("parts", "must hold at most " + maxFileSize + " bytes")));
        }
        Upload sized = upload.sized(plan.fileSize(), plan);
        // The claimed parts are checked before the size is recorded: a refused complete leaves the size open, so
        // the client may still send parts.
        PartChecks.partsToAssemble(sized, PartChecks.claimedParts(sized, claimed), held);
        try {
            records.declareSize(upload, sized);
        } catch (StaleUploadException changedMeanwhile) {
            // A concurrent complete sized it first: the complete below reads the record again.
            Log.debugf("Upload %s was sized by a concurrent call", upload.fileId());
        }
    }

    /**
     * The plan the held parts follow: numbered 1 to n without a gap, all of one size but the last, which is not
     * larger (how Uppy cuts a file, and what a download by parts needs).
     */
    static PartPlan planOf(List<StoredPart> held) {
        if (held.isEmpty()) {
            throw mismatch("storage holds no part of this upload: send the parts first");
        }
        long partSize = held.get(0).size();
        long total = 0;
        for (int index = 0; index < held.size(); index++) {
            StoredPart part = held.get(index);
            if (part.partNumber() != index + 1) {
                throw mismatch("part " + (index + 1) + " is missing: storage holds parts up to " + part.partNumber());
            }
            boolean last = index == held.size() - 1;
            if (last ? part.size() > partSize : part.size() != partSize) {
                throw mismatch("part " + part.partNumber() + " holds " + part.size() + " bytes where every part but"
                        + " the last must hold " + partSize + " (and the last no more)");
            }
            total += part.size();
        }
        return new PartPlan(total, partSize, held.size());
    }

    /** Aborts the upload: storage deletes its parts (aborting again is fine). */
    public void abort(String owner, String key, String uploadId) {
        uploads.abort(owner, find(owner, key, uploadId).fileId());
    }

    /**
     * Records an upload sent whole by a browser POST form and signs the form: the exact key, the type, at most the
     * configured size, for a short while. The upload counts that bound against the owner's open bytes until the
     * file arrives (status, the listing or the sweeper find it in storage and record its real size).
     */
    public PostForm startBrowserPost(String owner, String author, String filename, String fileType,
            Map<String, String> metadata) {
        long bound = Math.min(companion.postMaxSize(), settings.maxFileSize());
        NewUpload request = new NewUpload(filename, fileType, bound, null, null, null, ChecksumAlgorithm.NONE, null,
                metadata, null);
        InitRules.requireAcceptable(request, settings);
        // Asked like an init, with the form's bound as the size (the file's own size is not known before it arrives).
        request = uploads.askHook(owner, InitRules.author(null, author), request);
        UUID fileId = UUID.randomUUID();
        Instant now = clock.instant();
        // Settled after the form expires (a POST accepted just before may still be arriving): then the sweeper asks.
        Instant deadline = now.plus(companion.postTtl()).plus(companion.postTtl());
        Upload upload = Upload.started(fileId, owner,
                new Upload.FileFacts(filename, fileType, bound, InitRules.author(null, author), now, null,
                        request.metadata()),
                new Upload.PartTarget(Upload.BROWSER_POST, fileId.toString(), new PartPlan(bound, bound, 1),
                        ChecksumAlgorithm.NONE),
                now, deadline, deadline.plus(settings.endedRetention()), null);
        uploads.recordWithoutMultipart(upload);
        metrics.uploadInitiated();
        Log.infof("Upload %s initiated: a browser POST of at most %d bytes", fileId, bound);
        return companionSigner.signPost(upload.objectKey(), fileType, bound, companion.postTtl(), now);
    }

    /** The caller's upload under {@code key} with storage's {@code uploadId}; anything else is the same 404. */
    private Upload find(String owner, String key, String uploadId) {
        UUID fileId;
        try {
            fileId = UUID.fromString(key);
        } catch (IllegalArgumentException notOurs) {
            throw UploadService.notFound();
        }
        if (!fileId.toString().equals(key)) {
            throw UploadService.notFound();
        }
        return records.find(fileId)
                .filter(upload -> upload.owner().equals(owner) && upload.uploadId().equals(uploadId)
                        && !upload.isBrowserPost())
                .orElseThrow(UploadService::notFound);
    }

    private Upload requireUploading(Upload upload) {
        if (upload.isAbandoned(clock.instant())) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "The upload is past its deadline and can no longer be resumed");
        }
        if (upload.status() != UploadStatus.UPLOADING) {
            throw new FreightException(ProblemType.INVALID_UPLOAD_STATE,
                    "Only an uploading file accepts this; it is " + upload.status().wireName());
        }
        return upload;
    }

    private static FreightException mismatch(String why) {
        return new FreightException(ProblemType.PARTS_MISMATCH, "The parts storage holds cannot make a file: " + why);
    }
}
