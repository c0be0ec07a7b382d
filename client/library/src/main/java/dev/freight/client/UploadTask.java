package dev.freight.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One upload running on its own threads: a new one ({@link FreightClient#startUpload}) or a resumed one
 * ({@link FreightClient#startResume}). {@link #cancel()} stops it resumable, {@link #abort()} gives it up,
 * {@link #await()} waits for the result.
 */
public final class UploadTask {

    private final FreightClient client;
    private final ServiceApi api;
    private final UploadSource source;
    private final UploadOptions options;
    private final boolean resume;
    private final String resumeFileId;
    /** How often a {@code completing} upload is polled (the service answers Retry-After: 2). */
    private static final long COMPLETING_POLL_MILLIS = 2_000;
    private final Cancellation stop = new Cancellation();
    private final CompletableFuture<UploadResult> result = new CompletableFuture<>();
    private final AtomicReference<FreightException> failure = new AtomicReference<>();
    private final AtomicInteger partsSent = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final Map<Integer, PartUrl> prefetched = new ConcurrentHashMap<>();
    private final Map<Integer, RemoteUpload.Part> heldAtResume = new ConcurrentHashMap<>();
    private volatile boolean cancelled;
    private volatile String fileId;
    private volatile ProgressTracker tracker;
    private UploadState state;
    private RateLimiter limiter;

    UploadTask(FreightClient client, UploadSource source, UploadOptions options, boolean resume, String resumeFileId) {
        this.client = client;
        this.api = client.api();
        this.source = source;
        this.options = options;
        this.resume = resume;
        this.resumeFileId = resumeFileId;
    }

    void start() {
        Thread runner = new Thread(this::run, "freight-upload");
        runner.setDaemon(true);
        runner.start();
    }

    /** The upload's id once the service gave one (or the resumed one), else null. */
    public String fileId() {
        return fileId;
    }

    /** The latest progress (never null once started). */
    public Progress progress() {
        ProgressTracker current = tracker;
        return current == null ? null : current.snapshot();
    }

    /** Stops sending; parts storage holds stay, the state is kept, and {@code resume} continues. */
    public void cancel() {
        cancelled = true;
        stop.cancel();
    }

    /** Stops and gives the upload up: the service deletes its parts, the local state goes. */
    public void abort() throws IOException {
        cancel();
        try {
            result.get();
        } catch (ExecutionException | InterruptedException ended) {
            // Expected: the task ended cancelled (or failed); the upload is aborted below either way.
        }
        if (fileId != null) {
            api.abort(fileId, new Cancellation());
            client.stateStore().delete(fileId);
            ProgressTracker current = tracker;
            if (current != null) {
                current.phase(Phase.ABORTED);
            }
        }
    }

    /** Waits for the end: the result, or the {@link FreightException} that stopped it. */
    public UploadResult await() throws IOException {
        try {
            return result.get();
        } catch (InterruptedException interrupted) {
            cancel();
            Thread.currentThread().interrupt();
            throw new UploadCancelledException(fileId);
        } catch (ExecutionException ended) {
            Throwable cause = ended.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new FreightException(cause.toString(), fileId, cause);
        }
    }

    /** The result without waiting, or null while running. */
    public boolean isDone() {
        return result.isDone();
    }

    private void run() {
        long started = System.nanoTime();
        try {
            long size = source.size();
            tracker = new ProgressTracker(options.listener(), options.progressIntervalMillis(), source.name(), size);
            limiter = new RateLimiter(options.maxBytesPerSecond());
            UploadResult done = resume ? resumeUpload(size, started) : newUpload(size, started);
            tracker.phase(Phase.DONE);
            result.complete(done);
        } catch (Throwable stopped) {
            Throwable reported = stopped;
            if (cancelled && !(stopped instanceof UploadCancelledException)) {
                reported = new UploadCancelledException(fileId);
            }
            if (reported instanceof UploadCancelledException && ((FreightException) reported).fileId() == null
                    && fileId != null) {
                reported = new UploadCancelledException(fileId);
            }
            if (tracker != null) {
                tracker.phase(reported instanceof UploadCancelledException ? Phase.CANCELLED : Phase.FAILED);
            }
            result.completeExceptionally(reported);
        }
    }

    // ---- starting --------------------------------------------------------------------------------------------

    private UploadResult newUpload(long size, long started) throws IOException {
        String fingerprint = Digests.fingerprint(source);
        long lastModified = source.lastModified();
        long partSize = UploadOptions.plannedPartSize(options.partSize(), size);
        int partCount = (int) Math.max(1, (size + partSize - 1) / partSize);
        // The first parts' digests go with init, so their URLs come back with it.
        Map<Integer, String> first = new TreeMap<>();
        for (int part = 1; part <= Math.min(options.parallelism(), partCount); part++) {
            ServiceApi.checkCancelled(stop, null);
            long offset = (part - 1) * partSize;
            first.put(part, Digests.ofRange(source, offset, Math.min(partSize, size - offset)));
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("filename", source.name());
        body.put("file_type", fileType());
        body.put("file_size", size);
        if (options.authorName() != null) {
            body.put("author_name", options.authorName());
        }
        if (lastModified > 0) {
            body.put("created_at", Instant.ofEpochMilli(lastModified).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString());
        }
        body.put("part_size", partSize);
        body.put("checksum_algorithm", "SHA256");
        ArrayNode parts = body.putArray("parts");
        first.forEach((number, digest) -> parts.addObject().put("part_number", number).put("checksum_sha256", digest));
        ObjectNode metadata = body.putObject("metadata");
        options.metadata().forEach(metadata::put);
        // The same keys the browser app stores, so either client can resume the other's uploads.
        metadata.put("fingerprint", fingerprint);
        if (lastModified > 0) {
            metadata.put("last_modified", Long.toString(lastModified));
        }
        JsonNode answer = api.init(body, UUID.randomUUID().toString(), stop);
        fileId = Json.text(answer, "file_id");
        long servedPartSize = answer.path("part_size").asLong(partSize);
        int servedPartCount = answer.path("part_count").asInt(partCount);
        state = new UploadState(fileId, api.server(), source.key(), source.name(), size, lastModified, fingerprint,
                servedPartSize, servedPartCount, Instant.now().toString(), Json.text(answer, "upload_token"));
        if (servedPartSize == partSize) {
            first.forEach(state::digest);
            for (PartUrl url : ServiceApi.partUrls(answer)) {
                prefetched.put(url.partNumber, url);
            }
        }
        client.stateStore().save(state);
        List<Integer> toSend = new ArrayList<>();
        for (int part = 1; part <= servedPartCount; part++) {
            toSend.add(part);
        }
        tracker.start(fileId, servedPartCount, 0, 0);
        return transferAndComplete(toSend, Collections.emptyList(), started, false);
    }

    private UploadResult resumeUpload(long size, long started) throws IOException {
        String fingerprint = Digests.fingerprint(source);
        long lastModified = source.lastModified();
        state = findLocalState(size, fingerprint);
        RemoteUpload remote;
        if (state != null) {
            fileId = state.fileId();
            String difference = difference(state, size, lastModified, fingerprint);
            if (difference != null) {
                throw new SourceChangedException(source.name() + " is not the file upload " + fileId + " started with: "
                        + difference, fileId);
            }
            remote = api.status(fileId, stop);
        } else {
            remote = discover(size, lastModified, fingerprint);
            fileId = remote.fileId();
            state = new UploadState(fileId, api.server(), source.key(), source.name(), size, lastModified, fingerprint,
                    remote.partSize(), remote.partCount(), Instant.now().toString(), remote.uploadToken());
        }
        if ("uploaded".equals(remote.uploadStatus())) {
            client.stateStore().delete(fileId);
            tracker.start(fileId, remote.partCount(), size, remote.partCount());
            return new UploadResult(remote, 0, 0, elapsed(started), true);
        }
        if (!"uploading".equals(remote.uploadStatus())) {
            client.stateStore().delete(fileId);
            throw new NotResumableException("Upload " + fileId + " is " + remote.uploadStatus()
                    + " and can no longer be resumed", fileId);
        }
        state.uploadToken(remote.uploadToken());
        client.stateStore().save(state);
        List<Integer> toVerify = new ArrayList<>();
        Map<Integer, RemoteUpload.Part> held = new TreeMap<>();
        for (RemoteUpload.Part part : remote.uploadedParts()) {
            held.put(part.partNumber(), part);
            heldAtResume.put(part.partNumber(), part);
        }
        List<Integer> toSend = new ArrayList<>();
        long heldBytes = 0;
        int heldParts = 0;
        for (int number = 1; number <= state.partCount(); number++) {
            RemoteUpload.Part part = held.get(number);
            String digest = state.digest(number);
            if (part == null || part.size() != state.partLength(number)
                    || (part.checksumSha256() != null && digest != null && !digest.equals(part.checksumSha256()))) {
                state.etag(number, null);
                toSend.add(number);
            } else if (part.checksumSha256() != null && digest == null) {
                // Held, but this device never hashed it (no local state): compare before trusting it.
                state.etag(number, part.etag());
                toVerify.add(number);
            } else {
                state.etag(number, part.etag());
                heldBytes += part.size();
                heldParts++;
            }
        }
        tracker.start(fileId, state.partCount(), heldBytes, heldParts);
        return transferAndComplete(toSend, toVerify, started, true);
    }

    private UploadState findLocalState(long size, String fingerprint) throws IOException {
        StateStore store = client.stateStore();
        if (resumeFileId != null) {
            UploadState byId = store.load(resumeFileId);
            if (byId != null) {
                return byId;
            }
        }
        UploadState byIdentity = null;
        for (UploadState candidate : store.list()) {
            if (!api.server().equals(candidate.server())) {
                continue;
            }
            if (resumeFileId != null) {
                continue;
            }
            if (source.key() != null && source.key().equals(candidate.sourceKey())) {
                return candidate;
            }
            if (candidate.size() == size && fingerprint.equals(candidate.fingerprint())
                    && source.name().equals(candidate.filename())) {
                byIdentity = candidate;
            }
        }
        return byIdentity;
    }

    /** With no local state: the caller's unfinished uploads of a file with this name, size and fingerprint. */
    private RemoteUpload discover(long size, long lastModified, String fingerprint) throws IOException {
        if (resumeFileId != null) {
            RemoteUpload remote = api.status(resumeFileId, stop);
            String difference = difference(remote, size, lastModified, fingerprint);
            if (difference != null) {
                throw new SourceChangedException(source.name() + " is not the file upload " + resumeFileId
                        + " started with: " + difference, resumeFileId);
            }
            return remote;
        }
        String nextToken = null;
        String changed = null;
        for (int page = 0; page < 20; page++) {
            UploadPage uploads = api.list(options.authorName(), "uploading", 100, nextToken, stop);
            for (RemoteUpload candidate : uploads.uploads()) {
                if (!source.name().equals(candidate.filename())) {
                    continue;
                }
                RemoteUpload remote = api.status(candidate.fileId(), stop);
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
            throw new SourceChangedException("The unfinished upload of " + source.name()
                    + " was started with another file: " + changed, null);
        }
        throw new NotResumableException("No unfinished upload of " + source.name() + " to resume", null);
    }

    private String difference(UploadState expected, long size, long lastModified, String fingerprint) {
        return differenceOf(expected.size(), expected.lastModified(), expected.fingerprint(), size, lastModified,
                fingerprint);
    }

    private String difference(RemoteUpload remote, long size, long lastModified, String fingerprint) {
        Map<String, String> metadata = remote.metadata();
        long expectedModified = -1;
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

    // ---- sending -----------------------------------------------------------------------------------------------

    private UploadResult transferAndComplete(List<Integer> toSend, List<Integer> toVerify, long started,
            boolean resumed) throws IOException {
        tracker.phase(Phase.TRANSFERRING);
        runParts(toSend, toVerify);
        tracker.phase(Phase.COMPLETING);
        RemoteUpload completed = complete();
        checkComposite(completed);
        client.stateStore().delete(fileId);
        return new UploadResult(completed, partsSent.get(), bytesSent.get(), elapsed(started), resumed);
    }

    /** Sends {@code toSend} and checks {@code toVerify} on {@code parallelism} threads; the first failure stops all. */
    private void runParts(List<Integer> toSend, List<Integer> toVerify) throws IOException {
        List<int[]> jobs = new ArrayList<>();
        for (int part : toVerify) {
            jobs.add(new int[] {part, 1});
        }
        for (int part : toSend) {
            jobs.add(new int[] {part, 0});
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(options.parallelism(), Math.max(1, jobs.size()));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(() -> {
                int index;
                while (failure.get() == null && !stop.cancelled() && (index = next.getAndIncrement()) < jobs.size()) {
                    int[] job = jobs.get(index);
                    try {
                        if (job[1] == 1) {
                            verifyHeldPart(job[0]);
                        } else {
                            sendPart(job[0]);
                        }
                    } catch (FreightException stopped) {
                        fail(stopped);
                    } catch (IOException | RuntimeException unexpected) {
                        fail(new FreightException("Part " + job[0] + ": " + unexpected, fileId, unexpected));
                    }
                }
            }, "freight-part-" + i);
            worker.setDaemon(true);
            threads.add(worker);
            worker.start();
        }
        for (Thread worker : threads) {
            try {
                worker.join();
            } catch (InterruptedException interrupted) {
                cancel();
                Thread.currentThread().interrupt();
            }
        }
        if (cancelled) {
            throw new UploadCancelledException(fileId);
        }
        FreightException first = failure.get();
        if (first != null) {
            throw first;
        }
    }

    private void fail(FreightException stopped) {
        if (failure.compareAndSet(null, stopped)) {
            stop.cancel();
        }
    }

    private void verifyHeldPart(int number) throws IOException {
        long length = state.partLength(number);
        String digest = Digests.ofRange(source, (number - 1) * state.partSize(), length);
        RemoteUpload.Part held = heldAtResume.get(number);
        String reported = held == null ? null : held.checksumSha256();
        state.digest(number, digest);
        if (held != null && digest.equals(reported)) {
            state.etag(number, held.etag());
            client.stateStore().save(state);
            tracker.partFound(length);
        } else {
            state.etag(number, null);
            sendPart(number);
        }
    }

    private void sendPart(int number) throws IOException {
        long offset = (number - 1) * state.partSize();
        long length = state.partLength(number);
        String digest = state.digest(number);
        if (digest == null) {
            digest = Digests.ofRange(source, offset, length);
            state.digest(number, digest);
        }
        PartUrl url = prefetched.remove(number);
        boolean reread = false;
        String lastProblem = null;
        tracker.partStarted();
        boolean inFlight = true;
        try {
            int maxAttempts = client.retryPolicy().maxAttempts();
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                ServiceApi.checkCancelled(stop, fileId);
                if (url == null || url.expiring() || !boundTo(url, digest)) {
                    url = sign(number, digest);
                    if (!boundTo(url, digest)) {
                        throw new ServiceException(200, null, "Unbound URL", "The service signed part " + number
                                + " without binding it to its SHA-256; refusing to send unchecked bytes", null, fileId);
                    }
                }
                AtomicLong counted = new AtomicLong();
                PartBody body = new PartBody(source, offset, length, limiter, stop, bytes -> {
                    counted.addAndGet(bytes);
                    tracker.bytes(bytes);
                });
                String retryAfter = null;
                Map<String, String> headers = new LinkedHashMap<>(url.headers);
                try (HttpResponse response = client.transport().execute(new HttpRequest("PUT", url.url, headers, body))) {
                    int status = response.status();
                    if (status >= 200 && status < 300) {
                        String etag = response.header("ETag");
                        if (etag == null) {
                            throw new StorageException("Storage accepted part " + number + " without an ETag", status,
                                    null, number, fileId);
                        }
                        state.etag(number, etag);
                        client.stateStore().save(state);
                        partsSent.incrementAndGet();
                        bytesSent.addAndGet(length);
                        inFlight = false;
                        tracker.partDone(length, counted.get());
                        return;
                    }
                    String text = safeRead(response);
                    String code = RetryDecision.storageCode(text);
                    String message = RetryDecision.storageMessage(text);
                    tracker.partFailed(counted.get(), true);
                    lastProblem = status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
                    RetryDecision.Action action = RetryDecision.forStorage(status, code);
                    if (action == RetryDecision.Action.RESIGN) {
                        // Expired, or refused as signed for other bytes: sign again and resend.
                        url = null;
                    } else if (action == RetryDecision.Action.REHASH) {
                        if (reread) {
                            throw new StorageException("Storage refused part " + number + " again after it was read"
                                    + " again: " + lastProblem, status, code, number, fileId);
                        }
                        reread = true;
                        digest = reread(number, offset, length, digest);
                        url = null;
                    } else if (action == RetryDecision.Action.RETRY || action == RetryDecision.Action.THROTTLE) {
                        retryAfter = response.header("Retry-After");
                    } else if (status == 404) {
                        throw new StorageException("Storage no longer holds upload " + fileId + " (" + lastProblem + ")",
                                status, code, number, fileId);
                    } else {
                        throw new StorageException("Storage refused part " + number + ": " + lastProblem, status, code,
                                number, fileId);
                    }
                } catch (FreightException stopped) {
                    throw stopped;
                } catch (IOException broken) {
                    tracker.partFailed(counted.get(), true);
                    if (stop.cancelled() || broken instanceof InterruptedIOException && stop.cancelled()) {
                        throw new UploadCancelledException(fileId);
                    }
                    if (source.size() != state.size()) {
                        throw new SourceChangedException(source.name() + " changed while it was uploading", fileId);
                    }
                    lastProblem = ServiceApi.describe(broken);
                    // Storage may close the connection on a refused body before answering: after a second broken
                    // attempt, check the part against its digest once, as for a refusal.
                    if (attempt >= 2 && !reread) {
                        reread = true;
                        String fresh = reread(number, offset, length, digest);
                        if (!fresh.equals(digest)) {
                            digest = fresh;
                            url = null;
                        }
                    }
                }
                long wait = RetryDecision.waitAfter(attempt, retryAfter, client.retryPolicy());
                if (wait >= 0) {
                    tracker.phase(Phase.RETRYING);
                    boolean slept = stop.sleep(wait);
                    tracker.phase(Phase.TRANSFERRING);
                    if (!slept) {
                        throw new UploadCancelledException(fileId);
                    }
                }
            }
            throw new ServiceUnavailableException("Part " + number + " failed " + maxAttempts + " times; last: "
                    + lastProblem, fileId, null);
        } finally {
            if (inFlight) {
                tracker.partFailed(0, false);
            }
        }
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
    private String reread(int number, long offset, long length, String digest) throws IOException {
        String fresh = Digests.ofRange(source, offset, length);
        if (!fresh.equals(digest)) {
            throw new SourceChangedException(source.name() + " changed while it was uploading (part " + number
                    + " reads differently now)", fileId);
        }
        return fresh;
    }

    private PartUrl sign(int number, String digest) throws IOException {
        Map<Integer, String> parts = Collections.singletonMap(number, digest);
        List<PartUrl> urls;
        try {
            urls = api.refreshUrls(fileId, state.uploadToken(), parts, stop);
        } catch (ServiceException refused) {
            if (refused.status() != 400 || state.uploadToken() == null) {
                throw refused;
            }
            // The upload token expired or was refused: the service can look the upload up without it.
            urls = api.refreshUrls(fileId, null, parts, stop);
        }
        for (PartUrl url : urls) {
            if (url.partNumber == number) {
                return url;
            }
        }
        throw new ServiceException(200, null, "No URL", "refresh_urls answered no URL for part " + number, null, fileId);
    }

    // ---- completing -------------------------------------------------------------------------------------------

    private RemoteUpload complete() throws IOException {
        for (int round = 0; ; round++) {
            Map<Integer, String> etags = new TreeMap<>();
            Map<Integer, String> checksums = new TreeMap<>();
            for (int number = 1; number <= state.partCount(); number++) {
                etags.put(number, state.etag(number));
                checksums.put(number, state.digest(number));
            }
            try {
                return untilAssembled(api.complete(fileId, etags,
                        FreightClient.SEND_CHECKSUMS_ON_COMPLETE ? checksums : null, stop));
            } catch (ServiceException conflict) {
                List<Integer> wrong = wrongParts(conflict);
                if (conflict.status() != 409 || wrong.isEmpty() || round > 0) {
                    throw conflict;
                }
                // Storage lacks or disagrees on these parts: send them again, once.
                for (int number : wrong) {
                    state.etag(number, null);
                }
                tracker.phase(Phase.TRANSFERRING);
                runParts(wrong, Collections.emptyList());
                tracker.phase(Phase.COMPLETING);
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
            if (!stop.sleep(COMPLETING_POLL_MILLIS)) {
                ServiceApi.checkCancelled(stop, fileId);
            }
            current = api.status(fileId, stop);
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
            throw new VerificationException("Storage assembled " + source.name() + " with checksum " + reported
                    + ", the parts sent give " + expected, fileId);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private String fileType() {
        if (options.fileType() != null) {
            return options.fileType();
        }
        if (source.contentType() != null) {
            return source.contentType();
        }
        String guessed = URLConnection.guessContentTypeFromName(source.name());
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static String safeRead(HttpResponse response) {
        try {
            return ServiceApi.readAll(response.body());
        } catch (IOException unreadable) {
            return "";
        }
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }
}
