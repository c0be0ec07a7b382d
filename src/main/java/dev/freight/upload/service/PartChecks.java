package dev.freight.upload.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.Upload;

/**
 * The rules for part lists, as pure functions: which parts a client may ask URLs for, which it may claim on
 * complete, and whether what storage holds is the file the client sent.
 */
final class PartChecks {

    private PartChecks() {
    }

    /**
     * A list of parts to sign names parts of the plan, each at most once, each with a checksum for a SHA256 upload
     * and none for an upload without an algorithm (S3 refuses a checksummed part of such an upload).
     */
    static void requireValidPartList(PartPlan plan, ChecksumAlgorithm algorithm, List<PartToSign> parts) {
        List<FieldError> errors = partNumberErrors(plan, parts.stream().map(PartToSign::partNumber).toList());
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
        requireNoErrors(errors);
    }

    /** The client's part list of a complete names each part of the plan at most once; checksums only for SHA256. */
    static Map<Integer, ClaimedPart> claimedParts(Upload upload, List<ClaimedPart> parts) {
        List<FieldError> errors = partNumberErrors(upload.partPlan(),
                parts.stream().map(ClaimedPart::partNumber).toList());
        if (!upload.checksummed()) {
            for (int index = 0; index < parts.size(); index++) {
                if (parts.get(index).checksumSha256() != null) {
                    errors.add(new FieldError("parts[" + index + "].checksum_sha256",
                            "must be absent: this upload was created without checksum_algorithm"));
                }
            }
        }
        requireNoErrors(errors);
        return parts.stream().collect(Collectors.toMap(ClaimedPart::partNumber, Function.identity()));
    }

    /**
     * Compares the plan, the client's parts and what storage holds; returns the parts to assemble, each with its
     * SHA-256 for a SHA256 upload (storage's, else the client's where storage reports none).
     *
     * @throws FreightException (409 parts-mismatch) naming every part that is missing or wrong
     */
    static List<StoredPart> partsToAssemble(Upload upload, Map<Integer, ClaimedPart> claimed, List<StoredPart> held) {
        Map<Integer, StoredPart> heldByNumber = held.stream()
                .collect(Collectors.toMap(StoredPart::partNumber, Function.identity()));
        PartPlan plan = upload.partPlan();
        List<FieldError> errors = new ArrayList<>();
        List<Map<String, Object>> wrongParts = new ArrayList<>();
        List<StoredPart> parts = new ArrayList<>(plan.partCount());
        for (int partNumber = 1; partNumber <= plan.partCount(); partNumber++) {
            StoredPart stored = heldByNumber.get(partNumber);
            ClaimedPart client = claimed.get(partNumber);
            String problem = problemWith(upload, plan.sizeOf(partNumber), stored, client);
            if (problem != null) {
                errors.add(new FieldError("parts[" + partNumber + "]", problem));
                wrongParts.add(Map.of("part_number", partNumber, "problem", problem));
            } else if (upload.checksummed() && stored.checksumSha256() == null) {
                parts.add(new StoredPart(partNumber, stored.size(), stored.etag(), client.checksumSha256()));
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

    /** What is wrong with one part, or null when storage holds what the client claims. */
    private static String problemWith(Upload upload, long expectedSize, StoredPart stored, ClaimedPart client) {
        if (stored == null) {
            return "missing: storage does not hold this part";
        }
        if (client == null) {
            return "not listed in the request";
        }
        if (!sameEtag(stored.etag(), client.etag())) {
            return "etag does not match the part storage holds";
        }
        if (stored.size() != expectedSize) {
            return "size is " + stored.size() + " bytes, expected " + expectedSize;
        }
        if (!upload.checksummed()) {
            return null;
        }
        if (stored.checksumSha256() != null && client.checksumSha256() != null
                && !stored.checksumSha256().equals(client.checksumSha256())) {
            return "checksum_sha256 does not match the part storage holds";
        }
        if (stored.checksumSha256() == null && client.checksumSha256() == null) {
            return "checksum unknown: storage reports none for this part; send its checksum_sha256";
        }
        return null;
    }

    /** Whether an ETag storage reports equals the client's, quotes aside; storage may report none (mid-race). */
    static boolean sameEtag(String stored, String claimed) {
        return stored != null && claimed != null && unquoted(stored).equals(unquoted(claimed));
    }

    static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
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

    private static void requireNoErrors(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new FreightException(ProblemType.INVALID_REQUEST, "The part list is invalid", errors);
        }
    }
}
