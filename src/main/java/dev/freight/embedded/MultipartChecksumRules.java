package dev.freight.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS S3's rules for checksums of multipart uploads, which S3Proxy 4.1.0 does not apply: it accepts a part with a
 * checksum for an upload created without one, a complete that leaves out a part's checksum, and lists parts
 * without their checksums. Each rule answers what AWS answers, in AWS's words, so the service and the page are
 * held to AWS's behaviour in dev mode and in every test. The state is what S3 itself keeps per upload: the
 * algorithm chosen at CreateMultipartUpload and each stored part's checksum.
 *
 * <p>Sources of the answers (public reports against AWS S3): apache/arrow-rs#6793 (part checksum for an upload
 * created without an algorithm), aws/aws-sdk-php#2648 and apache/arrow-rs-object-store#568 (complete without the
 * part checksums), floci-io/floci#3083 and #3093 (composite checksum, ListParts and HeadObject fields captured
 * against S3), pgsty/silo#46 (S3 computes a part's checksum itself when the part carries none), versity/versitygw
 * #1188 (several checksum headers on one part), the AWS S3 API reference for CompleteMultipartUpload (parts in
 * ascending order; InvalidPart, InvalidPartOrder, NoSuchUpload texts).
 */
public final class MultipartChecksumRules {

    /** What S3 answers instead of doing the request. */
    public record Refusal(int status, String code, String message) {
    }

    /** A part as a CompleteMultipartUpload request names it; {@code checksums} maps element name to value. */
    public record NamedPart(int partNumber, Map<String, String> checksums) {
    }

    /** What S3 keeps about one multipart upload for its checksums. */
    public record UploadChecksums(String algorithm, SortedMap<Integer, String> partChecksums) {
    }

    static final String INVALID_PART = "One or more of the specified parts could not be found.  The part may not"
            + " have been uploaded, or the specified entity tag may not match the part's entity tag.";
    static final String INVALID_PART_ORDER = "The list of parts was not in ascending order. Parts must be ordered"
            + " by part number.";
    static final String NO_SUCH_UPLOAD = "The specified upload does not exist. The upload ID may be invalid, or the"
            + " upload may have been aborted or completed.";
    static final String MULTIPLE_CHECKSUMS = "Expecting a single x-amz-checksum- header. Multiple checksum Types are"
            + " not allowed.";

    /** Algorithms whose part checksums an upload created without an algorithm refuses (apache/arrow-rs#6793). */
    private static final Set<String> COMPOSITE_ONLY = Set.of("sha256", "sha1");
    private static final String CHECKSUM_HEADER_PREFIX = "x-amz-checksum-";
    private static final List<String> NOT_CHECKSUMS = List.of("x-amz-checksum-algorithm", "x-amz-checksum-type",
            "x-amz-checksum-mode");

    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Path stateDir;

    /** @param stateDir where the state is kept so it survives a restart of dev mode, or null for memory only */
    public MultipartChecksumRules(Path stateDir) {
        this.stateDir = stateDir;
        if (stateDir != null) {
            try {
                Files.createDirectories(stateDir);
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
        }
    }

    /** CreateMultipartUpload succeeded; {@code algorithm} is its {@code x-amz-checksum-algorithm}, or null. */
    public void created(String uploadId, String algorithm) {
        Upload upload = new Upload(algorithm == null ? null : algorithm.toUpperCase(Locale.ROOT));
        uploads.put(uploadId, upload);
        persist(uploadId, "algorithm", upload.algorithm == null ? "" : upload.algorithm);
    }

    /** Whether S3 answers NoSuchUpload: the upload was completed or aborted (S3Proxy answers 200). */
    public Optional<Refusal> checkKnown(String uploadId) {
        Upload upload = find(uploadId);
        if (upload != null && upload.ended) {
            return Optional.of(new Refusal(404, "NoSuchUpload", NO_SUCH_UPLOAD));
        }
        return Optional.empty();
    }

    /**
     * UploadPart: the checksum a part carries must be of the upload's algorithm; an upload without one takes no
     * checksum at all. A part of an upload with an algorithm may carry none: S3 computes it.
     *
     * @param headerNames the request's header names (any case)
     */
    public Optional<Refusal> checkUploadPart(String uploadId, Iterable<String> headerNames) {
        Optional<Refusal> gone = checkKnown(uploadId);
        if (gone.isPresent()) {
            return gone;
        }
        List<String> sent = checksumAlgorithmsIn(headerNames);
        if (sent.size() > 1) {
            return Optional.of(new Refusal(400, "InvalidRequest", MULTIPLE_CHECKSUMS));
        }
        Upload upload = find(uploadId);
        if (upload == null || sent.isEmpty()) {
            return Optional.empty();
        }
        if (upload.algorithm == null && !COMPOSITE_ONLY.contains(sent.get(0))) {
            // The CRC family that SDKs now send by default is not refused in the public reports; SHA ones are.
            return Optional.empty();
        }
        String expected = upload.algorithm == null ? "null" : upload.algorithm.toLowerCase(Locale.ROOT);
        if (!sent.get(0).equals(expected)) {
            return Optional.of(new Refusal(400, "InvalidRequest", "Checksum Type mismatch occurred, expected checksum"
                    + " Type: " + expected + ", actual checksum Type: " + sent.get(0)));
        }
        return Optional.empty();
    }

    /** Whether S3 would compute the part's SHA-256 itself: the upload has SHA256 and the part carries none. */
    public boolean computesSha256(String uploadId, Iterable<String> headerNames) {
        Upload upload = find(uploadId);
        return upload != null && "SHA256".equals(upload.algorithm) && checksumAlgorithmsIn(headerNames).isEmpty();
    }

    /** Storage holds the part; {@code checksumSha256} is what S3 keeps for it (null for an upload without one). */
    public void partStored(String uploadId, int partNumber, String checksumSha256) {
        Upload upload = find(uploadId);
        if (upload != null && checksumSha256 != null && "SHA256".equals(upload.algorithm)) {
            upload.partChecksums.put(partNumber, checksumSha256);
            persist(uploadId, "part." + partNumber, checksumSha256);
        }
    }

    /**
     * CompleteMultipartUpload: parts in ascending order; for an upload with an algorithm every part names its
     * checksum of that algorithm and it matches the stored part's; for one without, no part names a checksum.
     */
    public Optional<Refusal> checkComplete(String uploadId, List<NamedPart> parts) {
        Upload upload = find(uploadId);
        if (upload == null || upload.ended) {
            // Completing a completed upload again is S3's own business (it answers the same result).
            return Optional.empty();
        }
        for (int index = 1; index < parts.size(); index++) {
            if (parts.get(index).partNumber() <= parts.get(index - 1).partNumber()) {
                return Optional.of(new Refusal(400, "InvalidPartOrder", INVALID_PART_ORDER));
            }
        }
        for (NamedPart part : parts) {
            if (upload.algorithm == null) {
                if (!part.checksums().isEmpty()) {
                    return Optional.of(new Refusal(400, "InvalidPart", INVALID_PART));
                }
                continue;
            }
            String element = "Checksum" + upload.algorithm;
            if (part.checksums().keySet().stream().anyMatch(name -> !name.equals(element))) {
                return Optional.of(new Refusal(400, "InvalidPart", INVALID_PART));
            }
            String named = part.checksums().get(element);
            if (named == null) {
                return Optional.of(new Refusal(400, "InvalidRequest", "The upload was created using a "
                        + upload.algorithm.toLowerCase(Locale.ROOT) + " checksum. The complete request must include"
                        + " the checksum for each part. It was missing for part " + part.partNumber()
                        + " in the request."));
            }
            String stored = upload.partChecksums.get(part.partNumber());
            if (stored != null && !stored.equals(named)) {
                return Optional.of(new Refusal(400, "InvalidPart", INVALID_PART));
            }
        }
        return Optional.empty();
    }

    /** The upload was completed or aborted: S3 forgets it and its parts. */
    public void ended(String uploadId) {
        Upload upload = find(uploadId);
        if (upload != null) {
            upload.ended = true;
            persist(uploadId, "ended", "true");
        }
    }

    /** The algorithm and part checksums S3 reports for the upload (ListParts), when the upload is known. */
    public Optional<UploadChecksums> checksums(String uploadId) {
        Upload upload = find(uploadId);
        if (upload == null) {
            return Optional.empty();
        }
        return Optional.of(new UploadChecksums(upload.algorithm, new TreeMap<>(upload.partChecksums)));
    }

    /** The lower-case algorithms of the {@code x-amz-checksum-*} headers among {@code headerNames}. */
    static List<String> checksumAlgorithmsIn(Iterable<String> headerNames) {
        List<String> algorithms = new java.util.ArrayList<>();
        for (String name : headerNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(CHECKSUM_HEADER_PREFIX) && !NOT_CHECKSUMS.contains(lower)) {
                algorithms.add(lower.substring(CHECKSUM_HEADER_PREFIX.length()));
            }
        }
        return algorithms;
    }

    private Upload find(String uploadId) {
        Upload upload = uploads.get(uploadId);
        if (upload == null && stateDir != null) {
            upload = load(uploadId);
            if (upload != null) {
                uploads.putIfAbsent(uploadId, upload);
                upload = uploads.get(uploadId);
            }
        }
        return upload;
    }

    private void persist(String uploadId, String key, String value) {
        if (stateDir == null) {
            return;
        }
        try {
            Files.writeString(stateFile(uploadId), key + "=" + value + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private Upload load(String uploadId) {
        Path file = stateFile(uploadId);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Upload upload = null;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                String key = line.substring(0, equals);
                String value = line.substring(equals + 1);
                if (key.equals("algorithm")) {
                    upload = new Upload(value.isEmpty() ? null : value);
                } else if (upload != null && key.equals("ended")) {
                    upload.ended = true;
                } else if (upload != null && key.startsWith("part.")) {
                    upload.partChecksums.put(Integer.parseInt(key.substring(5)), value);
                }
            }
            return upload;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private Path stateFile(String uploadId) {
        return stateDir.resolve(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(uploadId.getBytes(StandardCharsets.UTF_8)));
    }

    private static final class Upload {
        final String algorithm;
        final Map<Integer, String> partChecksums = new ConcurrentHashMap<>();
        volatile boolean ended;

        Upload(String algorithm) {
            this.algorithm = algorithm;
        }
    }
}
