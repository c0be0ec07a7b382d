package dev.freight.upload.service;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.SignedPart;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadGrant;

/**
 * Hands out part URLs: which parts a request may have signed, each bound to its exact size (and, for a SHA256
 * upload, to its digest), at most a batch per request.
 */
@ApplicationScoped
public class PartUrlIssuer {

    private final UrlSigner signer;
    private final UploadMetrics metrics;
    private final FreightConfig.Upload settings;

    public PartUrlIssuer(UrlSigner signer, UploadMetrics metrics, FreightConfig config) {
        this.signer = signer;
        this.metrics = metrics;
        this.settings = config.upload();
    }

    /**
     * The URLs init answers: for an upload without an algorithm the first batch of parts; for a SHA256 upload the
     * parts the request listed with their digests (a URL without a checksum is never signed for such an upload).
     */
    List<SignedPart> firstParts(Upload upload, List<PartToSign> requested) {
        if (upload.checksummed()) {
            return requested == null ? List.of() : listed(upload, requested);
        }
        return missing(upload, Set.of());
    }

    /** URLs for the parts a request lists, checked against the upload's plan and algorithm. */
    List<SignedPart> listed(Upload upload, List<PartToSign> parts) {
        requireBatch(parts);
        PartChecks.requireValidPartList(upload.partPlan(), upload.checksumAlgorithm(), parts);
        return parts.stream().map(part -> sign(upload.objectKey(), upload.uploadId(), upload.partPlan(),
                part.partNumber(), part.checksumSha256())).toList();
    }

    /** The token path: the same part-list rules, the grant's plan, no record read (storage refuses ended uploads). */
    List<SignedPart> granted(UploadGrant grant, List<PartToSign> parts) {
        requireBatch(parts);
        PartChecks.requireValidPartList(grant.partPlan(), grant.checksumAlgorithm(), parts);
        return parts.stream().map(part -> sign(grant.objectKey(), grant.uploadId(), grant.partPlan(),
                part.partNumber(), part.checksumSha256())).toList();
    }

    /** URLs for the first batch of parts not in {@code held} (uploads without an algorithm only). */
    List<SignedPart> missing(Upload upload, Set<Integer> held) {
        if (upload.checksumAlgorithm() != ChecksumAlgorithm.NONE) {
            throw new IllegalStateException("URLs of a SHA256 upload are signed only for listed digests");
        }
        return IntStream.rangeClosed(1, upload.partCount()).filter(partNumber -> !held.contains(partNumber))
                .limit(settings.urlBatchSize())
                .mapToObj(partNumber -> sign(upload.objectKey(), upload.uploadId(), upload.partPlan(), partNumber,
                        null))
                .toList();
    }

    /** A request names at most a batch of parts (checked before anything is started or signed). */
    void requireBatch(List<PartToSign> parts) {
        if (parts.size() > settings.urlBatchSize()) {
            String message = "at most " + settings.urlBatchSize() + " parts per request";
            throw new FreightException(ProblemType.INVALID_REQUEST, "parts " + message,
                    List.of(new FieldError("parts", message)));
        }
    }

    private SignedPart sign(String objectKey, String uploadId, PartPlan plan, int partNumber, String checksumSha256) {
        metrics.partUrlSigned(checksumSha256 != null);
        long size = plan.sizeOf(partNumber);
        return new SignedPart(partNumber, size, signer.signPartUpload(objectKey, uploadId, partNumber, size,
                checksumSha256, settings.urlTtl()));
    }
}
