package dev.freight.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.client.Phase;
import dev.freight.client.RemoteUpload;
import dev.freight.client.ServiceException;
import dev.freight.client.UploadState;
import dev.freight.client.VerificationException;

/**
 * Ends an upload: complete with every part's ETag and SHA-256 (parts a 409 names are sent again, once), wait out a
 * 202 {@code completing}, and check the composite checksum storage reports against the parts' digests.
 */
final class UploadCompletion {

    /** How often a {@code completing} upload is polled (the service answers Retry-After: 2). */
    private static final long COMPLETING_POLL_MILLIS = 2_000;
    /** Complete names each part's SHA-256 beside its ETag, for storage that does not report part checksums. */
    private static final boolean SEND_CHECKSUMS_ON_COMPLETE = true;

    /** Sends parts again (the part sender on the task's threads). */
    interface Resend {
        void parts(List<Integer> numbers) throws IOException;
    }

    private final UploadSession session;

    UploadCompletion(UploadSession session) {
        this.session = session;
    }

    RemoteUpload complete(Resend resend) throws IOException {
        UploadState state = session.state();
        for (int round = 0; ; round++) {
            Map<Integer, String> etags = new TreeMap<>();
            Map<Integer, String> checksums = new TreeMap<>();
            for (int number = 1; number <= state.partCount(); number++) {
                etags.put(number, state.etag(number));
                checksums.put(number, state.digest(number));
            }
            try {
                RemoteUpload completed = untilAssembled(session.client.api.complete(session.fileId(), etags,
                        SEND_CHECKSUMS_ON_COMPLETE ? checksums : null, session.stop));
                checkComposite(completed);
                return completed;
            } catch (ServiceException conflict) {
                List<Integer> wrong = wrongParts(conflict);
                if (conflict.status() != 409 || wrong.isEmpty() || round > 0) {
                    throw conflict;
                }
                // Storage lacks or disagrees on these parts: send them again, once.
                for (int number : wrong) {
                    state.etag(number, null);
                }
                session.tracker.phase(Phase.TRANSFERRING);
                resend.parts(wrong);
                session.tracker.phase(Phase.COMPLETING);
            }
        }
    }

    /**
     * A complete answered 202 {@code completing} while storage assembles a large upload: poll its status (never
     * send complete again, which would only join the running assembly) until it is final.
     */
    private RemoteUpload untilAssembled(RemoteUpload answer) throws IOException {
        RemoteUpload current = answer;
        while ("completing".equals(current.uploadStatus())) {
            if (!session.stop.sleep(COMPLETING_POLL_MILLIS)) {
                RetryLoop.checkCancelled(session.stop, session.fileId());
            }
            current = session.client.api.status(session.fileId(), session.stop);
        }
        return current;
    }

    private static List<Integer> wrongParts(ServiceException conflict) {
        List<Integer> parts = new ArrayList<>();
        try {
            JsonNode body = Json.MAPPER.readTree(conflict.body() == null ? "{}" : conflict.body());
            for (JsonNode part : body.path("parts")) {
                if (part.has("part_number")) {
                    parts.add(part.path("part_number").asInt());
                }
            }
        } catch (IOException unreadable) {
            return parts;
        }
        return parts;
    }

    private void checkComposite(RemoteUpload completed) throws VerificationException {
        String reported = completed.objectChecksumSha256();
        if (reported == null || !reported.contains("-")) {
            return;
        }
        UploadState state = session.state();
        List<String> digests = new ArrayList<>();
        for (int number = 1; number <= state.partCount(); number++) {
            String digest = state.digest(number);
            if (digest == null) {
                return;
            }
            digests.add(digest);
        }
        String expected = Digests.composite(digests);
        if (!expected.equals(reported)) {
            throw new VerificationException("Storage assembled " + session.source.name() + " with checksum "
                    + reported + ", the parts sent give " + expected, session.fileId());
        }
    }
}
