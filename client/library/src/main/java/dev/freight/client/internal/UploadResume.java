package dev.freight.client.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.freight.client.NotResumableException;
import dev.freight.client.RemoteUpload;
import dev.freight.client.SourceChangedException;
import dev.freight.client.StateStore;
import dev.freight.client.UploadPage;
import dev.freight.client.UploadState;

/**
 * Picks an upload up again: finds its state (this device's, or the caller's unfinished upload on the service with
 * the same name, size, modification time and fingerprint), refuses a changed source, and sorts the parts by what
 * storage holds (the truth): held and known, held but to be checked against their digest, or to be sent.
 */
final class UploadResume {

    /** Where a resume stands: already uploaded, or the parts to send and to check. */
    static final class Point {
        final RemoteUpload remote;
        final List<Integer> toSend = new ArrayList<>();
        final List<Integer> toVerify = new ArrayList<>();
        long heldBytes;
        int heldParts;

        Point(RemoteUpload remote) {
            this.remote = remote;
        }

        boolean uploaded() {
            return "uploaded".equals(remote.uploadStatus());
        }
    }

    private final UploadSession session;
    private final String resumeFileId;

    UploadResume(UploadSession session, String resumeFileId) {
        this.session = session;
        this.resumeFileId = resumeFileId;
    }

    Point find(long size) throws IOException {
        String fingerprint = Digests.fingerprint(session.source);
        long lastModified = session.source.lastModified();
        UploadState state = findLocalState(size, fingerprint);
        RemoteUpload remote;
        ServiceApi api = session.client.api;
        if (state != null) {
            session.fileId(state.fileId());
            String difference = difference(state, size, lastModified, fingerprint);
            if (difference != null) {
                throw new SourceChangedException(session.source.name() + " is not the file upload " + state.fileId()
                        + " started with: " + difference, state.fileId());
            }
            remote = api.status(state.fileId(), session.stop);
        } else {
            remote = discover(size, lastModified, fingerprint);
            session.fileId(remote.fileId());
            state = new UploadState(remote.fileId(), api.server(), session.source.key(), session.source.name(), size,
                    lastModified, fingerprint, remote.partSize(), remote.partCount(), Instant.now().toString(),
                    remote.uploadToken());
        }
        Point point = new Point(remote);
        if (point.uploaded()) {
            session.client.stateStore.delete(remote.fileId());
            return point;
        }
        if (!"uploading".equals(remote.uploadStatus())) {
            session.client.stateStore.delete(remote.fileId());
            throw new NotResumableException("Upload " + remote.fileId() + " is " + remote.uploadStatus()
                    + " and can no longer be resumed", remote.fileId());
        }
        state.uploadToken(remote.uploadToken());
        session.state(state);
        session.save();
        sort(point, state);
        return point;
    }

    /** Sorts the parts by what storage holds; parts it holds with their digest known count as done. */
    private void sort(Point point, UploadState state) {
        Map<Integer, RemoteUpload.Part> held = new TreeMap<>();
        for (RemoteUpload.Part part : point.remote.uploadedParts()) {
            held.put(part.partNumber(), part);
            session.heldAtResume.put(part.partNumber(), part);
        }
        UploadPlan plan = session.plan();
        for (int number = 1; number <= plan.partCount(); number++) {
            RemoteUpload.Part part = held.get(number);
            String digest = state.digest(number);
            if (part == null || part.size() != plan.length(number)
                    || (part.checksumSha256() != null && digest != null && !digest.equals(part.checksumSha256()))) {
                state.etag(number, null);
                point.toSend.add(number);
            } else if (part.checksumSha256() != null && digest == null) {
                // Held, but this device never hashed it (no local state): compare before trusting it.
                state.etag(number, part.etag());
                point.toVerify.add(number);
            } else {
                state.etag(number, part.etag());
                point.heldBytes += part.size();
                point.heldParts++;
            }
        }
    }

    /** Hashes a part storage held at resume: the same digest counts it as done; another sends it again. */
    void verifyHeldPart(int number, PartSender sender) throws IOException {
        UploadPlan plan = session.plan();
        UploadState state = session.state();
        String digest = Digests.ofRange(session.source, plan.offset(number), plan.length(number));
        RemoteUpload.Part held = session.heldAtResume.get(number);
        state.digest(number, digest);
        if (held != null && digest.equals(held.checksumSha256())) {
            state.etag(number, held.etag());
            session.save();
            session.tracker.partFound(plan.length(number));
        } else {
            state.etag(number, null);
            sender.send(number);
        }
    }

    private UploadState findLocalState(long size, String fingerprint) throws IOException {
        StateStore store = session.client.stateStore;
        if (resumeFileId != null) {
            return store.load(resumeFileId);
        }
        UploadState byIdentity = null;
        for (UploadState candidate : store.list()) {
            if (!session.client.api.server().equals(candidate.server())) {
                continue;
            }
            if (session.source.key() != null && session.source.key().equals(candidate.sourceKey())) {
                return candidate;
            }
            if (candidate.size() == size && fingerprint.equals(candidate.fingerprint())
                    && session.source.name().equals(candidate.filename())) {
                byIdentity = candidate;
            }
        }
        return byIdentity;
    }

    /** With no local state: the caller's unfinished uploads of a file with this name, size and fingerprint. */
    private RemoteUpload discover(long size, long lastModified, String fingerprint) throws IOException {
        ServiceApi api = session.client.api;
        String name = session.source.name();
        if (resumeFileId != null) {
            RemoteUpload remote = api.status(resumeFileId, session.stop);
            String difference = difference(remote, size, lastModified, fingerprint);
            if (difference != null) {
                throw new SourceChangedException(name + " is not the file upload " + resumeFileId + " started with: "
                        + difference, resumeFileId);
            }
            return remote;
        }
        String nextToken = null;
        String changed = null;
        for (int page = 0; page < 20; page++) {
            UploadPage uploads = api.list(session.options.authorName(), "uploading", 100, nextToken, session.stop);
            for (RemoteUpload candidate : uploads.uploads()) {
                if (!name.equals(candidate.filename())) {
                    continue;
                }
                RemoteUpload remote = api.status(candidate.fileId(), session.stop);
                String difference = difference(remote, size, lastModified, fingerprint);
                if (difference == null) {
                    return remote;
                }
                changed = difference;
            }
            nextToken = uploads.nextToken();
            if (nextToken == null) {
                break;
            }
        }
        if (changed != null) {
            throw new SourceChangedException("The unfinished upload of " + name + " was started with another file: "
                    + changed, null);
        }
        throw new NotResumableException("No unfinished upload of " + name + " to resume", null);
    }

    private static String difference(UploadState expected, long size, long lastModified, String fingerprint) {
        return differenceOf(expected.size(), expected.lastModified(), expected.fingerprint(), size, lastModified,
                fingerprint);
    }

    private static String difference(RemoteUpload remote, long size, long lastModified, String fingerprint) {
        Map<String, String> metadata = remote.metadata();
        long expectedModified;
        try {
            expectedModified = metadata.containsKey("last_modified") ? Long.parseLong(metadata.get("last_modified")) : -1;
        } catch (NumberFormatException unreadable) {
            expectedModified = -1;
        }
        String expectedFingerprint = metadata.get("fingerprint");
        if (expectedFingerprint == null && remote.fileSize() == size) {
            return "the upload has no fingerprint to compare with";
        }
        return differenceOf(remote.fileSize(), expectedModified, expectedFingerprint, size, lastModified, fingerprint);
    }

    private static String differenceOf(long expectedSize, long expectedModified, String expectedFingerprint, long size,
            long lastModified, String fingerprint) {
        if (expectedSize != size) {
            return "it has " + size + " bytes, the upload has " + expectedSize;
        }
        if (expectedModified > 0 && lastModified > 0 && expectedModified != lastModified) {
            return "it was modified at another time (" + Instant.ofEpochMilli(lastModified) + ", the upload's file at "
                    + Instant.ofEpochMilli(expectedModified) + ")";
        }
        if (expectedFingerprint != null && !expectedFingerprint.equals(fingerprint)) {
            return "its content differs";
        }
        return null;
    }
}
