package dev.freight.upload.service;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.CompositeChecksum;
import dev.freight.upload.model.OpenMultipartUpload;
import dev.freight.upload.model.OpenUploadsPage;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.SweepCursor;

/**
 * Object storage in memory, held to S3's multipart rules the service relies on: parts of an upload created with
 * SHA256 carry their digest, complete needs every listed part's ETag (and checksum), an assembled object's ETag and
 * composite checksum end in "-" and the part count, an aborted or completed upload is gone.
 */
final class InMemoryStorage implements MultipartStorage {

    record OpenUpload(String objectKey, boolean sha256, Instant initiated, Map<Integer, StoredPart> parts) {
    }

    final Map<String, OpenUpload> uploads = new ConcurrentHashMap<>();
    final Map<String, AssembledObject> objects = new ConcurrentHashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Clock clock;
    /** Open uploads per page of {@link #listMultipartUploads} (S3: 1,000). */
    int listPageSize = 1000;
    /** When set, the list call with this number (counted from 1) fails with {@link #listFailure}, as a crash. */
    int failOnListCall;
    RuntimeException listFailure;
    private int listCalls;
    /** When set, the next complete assembles the object and then fails with this, as a crash after S3 answered. */
    RuntimeException failAfterNextAssembly;
    /** Upload ids storage assembled an object from. */
    private final Set<String> assembled = new HashSet<>();
    /**
     * Whether an abort of an upload already assembled answers as if it aborted it (S3 was seen answering 204 for
     * hours after a complete, minio/minio#2250) rather than NoSuchUpload.
     */
    boolean abortOfAssembledAnswers204;
    /** When set, completes wait for it: an assembly that takes as long as the test wants. */
    volatile CountDownLatch assemblyGate;

    InMemoryStorage(Clock clock) {
        this.clock = clock;
    }

    /** A client's PUT of one part (what a presigned URL does); answers the ETag. */
    String putPart(String uploadId, int partNumber, byte[] bytes) {
        OpenUpload upload = uploads.get(uploadId);
        String etag = "\"" + HexFormat.of().formatHex(digest("MD5", bytes)) + "\"";
        String sha256 = upload.sha256() ? Base64.getEncoder().encodeToString(digest("SHA-256", bytes)) : null;
        upload.parts().put(partNumber, new StoredPart(partNumber, bytes.length, etag, sha256));
        return etag;
    }

    /**
     * A part of {@code size} bytes whose SHA-256 is {@code sha256}, held without its bytes (storage only reports
     * sizes, ETags and digests): for uploads of many parts of S3's minimum size, far too big to hold in a test.
     */
    synchronized String putPartOfSize(String uploadId, int partNumber, long size, String sha256) {
        String etag = "\"" + HexFormat.of().formatHex(Base64.getDecoder().decode(sha256), 0, 16) + "\"";
        open(uploadId).parts().put(partNumber, new StoredPart(partNumber, size, etag, sha256));
        return etag;
    }

    @Override
    public synchronized String startMultipartUpload(String objectKey, String contentType, boolean sha256) {
        calls.add("start " + objectKey);
        String uploadId = UUID.randomUUID().toString();
        uploads.put(uploadId, new OpenUpload(objectKey, sha256, clock.instant(), new TreeMap<>()));
        return uploadId;
    }

    @Override
    public synchronized List<StoredPart> listParts(String objectKey, String uploadId) {
        return List.copyOf(open(uploadId).parts().values());
    }

    @Override
    public AssembledObject completeMultipartUpload(String objectKey, String uploadId, List<StoredPart> parts,
            boolean sha256) {
        synchronized (this) {
            calls.add("complete " + objectKey);
        }
        CountDownLatch gate = assemblyGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return assemble(objectKey, uploadId, parts);
    }

    private synchronized AssembledObject assemble(String objectKey, String uploadId, List<StoredPart> parts) {
        OpenUpload upload = open(uploadId);
        for (StoredPart part : parts) {
            StoredPart held = upload.parts().get(part.partNumber());
            if (held == null || !held.etag().equals(part.etag())
                    || (upload.sha256() && !held.checksumSha256().equals(part.checksumSha256()))) {
                throw new AssemblyRefusedException(uploadId, null);
            }
        }
        long size = parts.stream().mapToLong(StoredPart::size).sum();
        AssembledObject object = new AssembledObject("\"assembled-" + parts.size() + "\"",
                upload.sha256() ? CompositeChecksum.of(parts) : null, size, "s3://bucket/" + objectKey);
        objects.put(objectKey, object);
        uploads.remove(uploadId);
        assembled.add(uploadId);
        if (failAfterNextAssembly != null) {
            RuntimeException crash = failAfterNextAssembly;
            failAfterNextAssembly = null;
            throw crash;
        }
        return new AssembledObject(object.etag(), object.checksumSha256(), null, object.location());
    }

    @Override
    public synchronized boolean abortMultipartUpload(String objectKey, String uploadId) {
        calls.add("abort " + objectKey);
        return uploads.remove(uploadId) != null || (abortOfAssembledAnswers204 && assembled.contains(uploadId));
    }

    /**
     * One page of open uploads in key and upload-id order after the cursor, as S3 pages them (key-marker, then
     * upload-id-marker within that key); {@link #listPageSize} per page.
     */
    @Override
    public synchronized OpenUploadsPage listMultipartUploads(SweepCursor from) {
        calls.add("list " + (from.isStart() ? "start" : from.keyMarker() + "/" + from.uploadIdMarker()));
        if (++listCalls == failOnListCall) {
            throw listFailure;
        }
        List<OpenMultipartUpload> after = uploads.entrySet().stream()
                .map(entry -> new OpenMultipartUpload(entry.getValue().objectKey(), entry.getKey(),
                        entry.getValue().initiated()))
                .sorted(Comparator.comparing(OpenMultipartUpload::objectKey)
                        .thenComparing(OpenMultipartUpload::uploadId))
                .filter(open -> from.isStart() || open.objectKey().compareTo(from.keyMarker()) > 0
                        || (open.objectKey().equals(from.keyMarker()) && from.uploadIdMarker() != null
                                && open.uploadId().compareTo(from.uploadIdMarker()) > 0))
                .toList();
        List<OpenMultipartUpload> page = after.subList(0, Math.min(listPageSize, after.size()));
        OpenMultipartUpload last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new OpenUploadsPage(page, after.size() > page.size()
                ? new SweepCursor(last.objectKey(), last.uploadId()) : null);
    }

    @Override
    public Optional<AssembledObject> findObject(String objectKey) {
        calls.add("find " + objectKey);
        return Optional.ofNullable(objects.get(objectKey));
    }

    private OpenUpload open(String uploadId) {
        OpenUpload upload = uploads.get(uploadId);
        if (upload == null) {
            throw new UploadGoneException(uploadId, null);
        }
        return upload;
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
