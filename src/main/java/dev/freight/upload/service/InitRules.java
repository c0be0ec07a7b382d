package dev.freight.upload.service;

import java.util.List;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.S3Limits;

/** What a new upload must be to be started, and the plan and author it gets: pure, checked before any write. */
final class InitRules {

    private InitRules() {
    }

    /** Refuses a file too big, of a type not accepted, or first parts asked for an upload without an algorithm. */
    static void requireAcceptable(NewUpload request, FreightConfig.Upload settings) {
        long maxFileSize = Math.min(settings.maxFileSize(), S3Limits.MAX_OBJECT_SIZE);
        if (request.fileSize() > maxFileSize) {
            throw invalid("file_size", "must be at most " + maxFileSize);
        }
        if (!FileTypes.allowed(request.fileType(), settings.allowedFileTypes())) {
            throw invalid("file_type", "is not an accepted type (accepted: "
                    + String.join(", ", settings.allowedFileTypes().orElseThrow()) + ")");
        }
        if (request.checksumAlgorithm() == ChecksumAlgorithm.NONE && request.firstParts() != null) {
            throw invalid("parts", "is only for checksum_algorithm SHA256 (without it the first URLs come unasked)");
        }
    }

    /** The client's part size wish (or the default) fitted to the configured bounds and S3's limits. */
    static PartPlan plan(NewUpload request, FreightConfig.Upload settings) {
        return PartPlan.of(request.fileSize(), wishedPartSize(request, settings), settings.minPartSize(),
                settings.maxPartSize());
    }

    private static long wishedPartSize(NewUpload request, FreightConfig.Upload settings) {
        return request.partSize() != null ? request.partSize() : settings.defaultPartSize();
    }

    /**
     * The first parts init signs: those the request lists, when the plan cuts the file as the client wished (or as
     * the default it assumed). Otherwise their digests are of other byte ranges (and may name parts the plan lacks):
     * none are signed, the client hashes the parts of the plan it got. Clients plan by the same rule as
     * {@link PartPlan#of}, so with the default bounds their wish is always kept.
     */
    static List<PartToSign> firstPartsFor(NewUpload request, PartPlan plan, FreightConfig.Upload settings) {
        return wishedPartSize(request, settings) == plan.partSize() ? request.firstParts() : null;
    }

    /** The author a request names, else the caller's own name; one of them is required. */
    static String author(String requested, String callerName) {
        String author = requested != null ? requested : callerName;
        if (author == null) {
            throw invalid("author_name", "must not be null");
        }
        return author;
    }

    static FreightException invalid(String field, String message) {
        return new FreightException(ProblemType.INVALID_REQUEST, field + " " + message,
                List.of(new FieldError(field, message)));
    }
}
