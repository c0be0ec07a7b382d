package dev.freight.client.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.freight.client.FreightException;
import dev.freight.client.HttpRequest;
import dev.freight.client.HttpResponse;
import dev.freight.client.Phase;
import dev.freight.client.RemoteUpload;
import dev.freight.client.ServiceException;
import dev.freight.client.SourceChangedException;
import dev.freight.client.StorageException;
import dev.freight.client.UploadCancelledException;

/**
 * Sends one part of an upload, in the {@link RetryLoop}: hashes it when no digest is known, signs a URL bound to
 * that digest, PUTs the bytes through a connection of the client's {@link PartScheduler} and records the ETag. After
 * an ambiguous failure (no answer: a reset, a timeout after the body went out) it asks the service which parts
 * storage holds before sending again, as the page does, so a part that arrived is never sent twice.
 */
final class PartSender {

    private final UploadSession session;

    PartSender(UploadSession session) {
        this.session = session;
    }

    /** Sends part {@code number}; returns once storage acknowledged it (or was found holding it). */
    void send(int number) throws IOException {
        UploadPlan plan = session.plan();
        long offset = plan.offset(number);
        long length = plan.length(number);
        String known = session.state().digest(number);
        if (known == null) {
            known = Digests.ofRange(session.source, offset, length);
            session.state().digest(number, known);
        }
        Part part = new Part(number, offset, length, known, session.prefetched.remove(number));
        session.tracker.partStarted();
        boolean inFlight = true;
        try {
            session.client.loop.run("Part " + number, session.fileId(), session.stop, previous -> {
                if (previous != null) {
                    session.tracker.phase(Phase.TRANSFERRING);
                }
                // The answer to a PUT was lost but storage may have the part: never send it twice.
                if (previous != null && previous.ambiguous() && storageHolds(part)) {
                    return null;
                }
                put(part);
                return null;
            }, (action, failure, tally) -> remedy(part, action, failure, tally));
            inFlight = false;
        } finally {
            if (inFlight) {
                session.tracker.partFailed(0, false);
            }
        }
    }

    /** One part's changing facts across its tries. */
    private static final class Part {
        final int number;
        final long offset;
        final long length;
        String digest;
        PartUrl url;
        /** Read and hashed again already (after a refusal, or after broken connections). */
        boolean reread;

        Part(int number, long offset, long length, String digest, PartUrl url) {
            this.number = number;
            this.offset = offset;
            this.length = length;
            this.digest = digest;
            this.url = url;
        }
    }

    private void remedy(Part part, RetryDecision.Action action, Failure failure, RetryDecision.Tally tally)
            throws IOException {
        switch (action) {
            case RESIGN:
                // Expired, or refused as signed for other bytes: sign again and resend.
                part.url = null;
                break;
            case REHASH:
                part.reread = true;
                part.digest = reread(part);
                part.url = null;
                break;
            default:
                // Storage may close the connection on a refused body before answering: after a second broken
                // attempt, check the part against its digest once, as for a refusal.
                if (failure.ambiguous() && tally.retries() >= 2 && !part.reread) {
                    part.reread = true;
                    reread(part);
                }
                session.tracker.phase(Phase.RETRYING);
                break;
        }
    }

    private void put(Part part) throws IOException {
        String fileId = session.fileId();
        if (part.url == null || part.url.expiring() || !boundTo(part.url, part.digest)) {
            part.url = sign(part.number, part.digest);
            if (!boundTo(part.url, part.digest)) {
                throw new ServiceException(200, null, "Unbound URL", "The service signed part " + part.number
                        + " without binding it to its SHA-256; refusing to send unchecked bytes", null, fileId);
            }
        }
        AtomicLong counted = new AtomicLong();
        PartBody body = new PartBody(session.source, part.offset, part.length, session.limiter, session.stop,
                bytes -> {
                    counted.addAndGet(bytes);
                    session.tracker.bytes(bytes);
                });
        Map<String, String> headers = new LinkedHashMap<>(part.url.headers);
        HttpRequest request = new HttpRequest("PUT", part.url.url, headers, body, session.stop);
        try (PartScheduler.Slot connection = session.client.scheduler.acquire(session.stop, fileId);
                HttpResponse response = session.client.transport.execute(request)) {
            int status = response.status();
            if (status >= 200 && status < 300) {
                String etag = response.header("ETag");
                if (etag == null) {
                    throw new StorageException("Storage accepted part " + part.number + " without an ETag", status,
                            null, part.number, fileId);
                }
                stored(part, etag, counted.get());
                session.partsSent.incrementAndGet();
                session.bytesSent.addAndGet(part.length);
                return;
            }
            String text = ServiceApi.readQuietly(response);
            String code = RetryDecision.storageCode(text);
            String message = RetryDecision.storageMessage(text);
            session.tracker.partFailed(counted.get(), true);
            String problem = status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
            FreightException whenFinal = status == 404
                    ? new StorageException("Storage no longer holds upload " + fileId + " (" + problem + ")", status,
                            code, part.number, fileId)
                    : new StorageException("Storage refused part " + part.number
                            + (part.reread ? " again after it was read again" : "") + ": " + problem, status, code,
                            part.number, fileId);
            throw Failure.answer(Failure.Target.STORAGE, status, code, response.header("Retry-After"), problem,
                    whenFinal);
        } catch (FreightException | Failure decided) {
            throw decided;
        } catch (IOException broken) {
            session.tracker.partFailed(counted.get(), true);
            RetryLoop.checkCancelled(session.stop, fileId);
            if (session.source.size() != session.state().size()) {
                throw new SourceChangedException(session.source.name() + " changed while it was uploading", fileId);
            }
            throw Failure.noAnswer(Failure.Target.STORAGE, ServiceApi.describe(broken), broken);
        }
    }

    /**
     * Asks the service (which lists storage's parts) whether part {@code part} arrived whole with its digest; if so
     * it counts as stored. Not knowing means sending again: the checksum-bound URL keeps that safe.
     */
    private boolean storageHolds(Part part) throws UploadCancelledException {
        RemoteUpload status;
        try {
            status = session.client.api.status(session.fileId(), session.stop);
        } catch (UploadCancelledException cancelled) {
            throw cancelled;
        } catch (IOException unknown) {
            return false;
        }
        for (RemoteUpload.Part held : status.uploadedParts()) {
            if (held.partNumber() == part.number && held.size() == part.length && held.etag() != null
                    && (held.checksumSha256() == null || held.checksumSha256().equals(part.digest))) {
                try {
                    stored(part, held.etag(), 0);
                } catch (IOException unsaved) {
                    return false;
                }
                session.partsSent.incrementAndGet();
                session.bytesSent.addAndGet(part.length);
                return true;
            }
        }
        return false;
    }

    private void stored(Part part, String etag, long countedInFlight) throws IOException {
        session.state().etag(part.number, etag);
        session.save();
        session.tracker.partDone(part.length, countedInFlight);
    }

    /** True when storage will accept only bytes with {@code digest} through {@code url} (docs/api.md's SHA256 kind). */
    private static boolean boundTo(PartUrl url, String digest) {
        for (Map.Entry<String, String> header : url.headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("x-amz-checksum-sha256")) {
                return digest.equals(header.getValue());
            }
        }
        return false;
    }

    /** Reads a refused part again: the same digest means the bytes broke on the way; another means the file changed. */
    private String reread(Part part) throws IOException {
        String fresh = Digests.ofRange(session.source, part.offset, part.length);
        if (!fresh.equals(part.digest)) {
            throw new SourceChangedException(session.source.name() + " changed while it was uploading (part "
                    + part.number + " reads differently now)", session.fileId());
        }
        return fresh;
    }

    private PartUrl sign(int number, String digest) throws IOException {
        Map<Integer, String> parts = Collections.singletonMap(number, digest);
        String fileId = session.fileId();
        String token = session.state().uploadToken();
        List<PartUrl> urls;
        try {
            urls = session.client.api.refreshUrls(fileId, token, parts, session.stop);
        } catch (ServiceException refused) {
            if (refused.status() != 400 || token == null) {
                throw refused;
            }
            // The upload token expired or was refused: the service can look the upload up without it.
            urls = session.client.api.refreshUrls(fileId, null, parts, session.stop);
        }
        for (PartUrl url : urls) {
            if (url.partNumber == number) {
                return url;
            }
        }
        throw new ServiceException(200, null, "No URL", "refresh_urls answered no URL for part " + number, null,
                fileId);
    }
}
