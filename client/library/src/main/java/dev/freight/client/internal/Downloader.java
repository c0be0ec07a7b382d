package dev.freight.client.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.client.DownloadOptions;
import dev.freight.client.DownloadResult;
import dev.freight.client.FreightException;
import dev.freight.client.HttpRequest;
import dev.freight.client.HttpResponse;
import dev.freight.client.Phase;
import dev.freight.client.StorageException;
import dev.freight.client.VerificationException;

/**
 * Downloads a file by parts ({@code GET /api/download/{id}?parts=true}): ranged GETs in parallel into a temporary
 * file, each part checked against its SHA-256 (a mismatch is fetched once more, then fails), verified parts noted
 * in a journal so a rerun fetches only the rest, and the file moved into place only when every part checks.
 */
public final class Downloader {

    private final ClientContext client;
    private final String fileId;
    private final File target;
    private final DownloadOptions options;
    private final Cancellation stop;
    private final AtomicInteger fetched = new AtomicInteger();
    /** Every range by part number, whose URLs {@link #renewUrls()} renews in place. */
    private final Map<Integer, DownloadRange> current = new ConcurrentHashMap<>();
    private ProgressTracker tracker;
    private DownloadJournal journal;
    private String etag;
    private long fileSize;

    public Downloader(ClientContext client, String fileId, File target, DownloadOptions options, Cancellation stop) {
        this.client = client;
        this.fileId = fileId;
        this.target = target.getAbsoluteFile();
        this.options = options;
        this.stop = stop;
    }

    public Cancellation cancellation() {
        return stop;
    }

    public DownloadResult run() throws IOException {
        long started = System.nanoTime();
        JsonNode info = client.api.download(fileId, true, stop);
        fileSize = info.path("file_size").asLong();
        etag = Json.text(info, "etag");
        List<DownloadRange> ranges = DownloadRange.listed(info, fileSize);
        boolean byParts = true;
        for (DownloadRange range : ranges) {
            byParts &= range.checksum != null;
        }
        tracker = new ProgressTracker(options.listener(), options.progressIntervalMillis(), target.getName(), fileSize);
        File directory = target.getParentFile();
        if (directory != null && !directory.isDirectory() && !directory.mkdirs()) {
            throw new IOException("Cannot create " + directory);
        }
        File temporary = new File(directory, target.getName() + ".freight-download");
        journal = new DownloadJournal(new File(directory, target.getName() + ".freight-download.json"), fileId,
                fileSize, etag);
        try (RandomAccessFile file = new RandomAccessFile(temporary, "rw")) {
            FileChannel channel = file.getChannel();
            for (DownloadRange range : ranges) {
                current.put(range.partNumber, range);
            }
            journal.load(channel, ranges);
            if (file.length() != fileSize) {
                file.setLength(fileSize);
            }
            List<DownloadRange> missing = new ArrayList<>();
            long held = 0;
            for (DownloadRange range : ranges) {
                if (journal.verified(range.partNumber)) {
                    held += range.length;
                } else {
                    missing.add(range);
                }
            }
            tracker.start(fileId, ranges.size(), held, ranges.size() - missing.size());
            tracker.phase(Phase.TRANSFERRING);
            fetchAll(channel, missing);
            tracker.phase(Phase.COMPLETING);
            channel.force(true);
        }
        String composite = Json.text(info, "object_checksum_sha256");
        if (byParts && composite != null && composite.endsWith("-" + ranges.size()) && ranges.size() > 0) {
            List<String> digests = new ArrayList<>();
            for (DownloadRange range : ranges) {
                digests.add(range.checksum);
            }
            if (!Digests.composite(digests).equals(composite)) {
                throw new VerificationException("The parts' checksums do not add up to the object's " + composite,
                        fileId);
            }
        }
        if (target.exists() && !target.delete()) {
            throw new IOException("Cannot replace " + target);
        }
        if (!temporary.renameTo(target)) {
            throw new IOException("Cannot move the download into " + target);
        }
        journal.delete();
        tracker.phase(Phase.DONE);
        return new DownloadResult(fileId, target, fileSize, ranges.size(), fetched.get(), byParts,
                (System.nanoTime() - started) / 1_000_000L);
    }

    private void fetchAll(FileChannel channel, List<DownloadRange> missing) throws IOException {
        Map<Integer, DownloadRange> byNumber = new TreeMap<>();
        for (DownloadRange range : missing) {
            byNumber.put(range.partNumber, range);
        }
        PartRunner.runAll(new ArrayList<>(byNumber.keySet()), options.parallelism(),
                number -> fetch(channel, byNumber.get(number)), stop, fileId, "freight-download");
    }

    /**
     * Fetches one range in the {@link RetryLoop}, through a connection of the client's {@link PartScheduler}: a part
     * whose bytes do not hash to its digest is fetched once more (the loop's REHASH), then fails.
     */
    private void fetch(FileChannel channel, DownloadRange range) throws IOException {
        tracker.partStarted();
        boolean inFlight = true;
        try {
            client.loop.run("Part " + range.partNumber, fileId, stop, previous -> {
                if (range.expiresAt != null && Instant.now().plusSeconds(30).isAfter(range.expiresAt)) {
                    renewUrls();
                }
                fetchOnce(channel, range);
                return null;
            }, (action, failure, tally) -> {
                if (action == RetryDecision.Action.RESIGN) {
                    renewUrls();
                }
            });
            inFlight = false;
        } finally {
            if (inFlight) {
                tracker.partFailed(0, false);
            }
        }
    }

    private void fetchOnce(FileChannel channel, DownloadRange range) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(range.headers);
        if (headers.keySet().stream().noneMatch("Range"::equalsIgnoreCase)) {
            headers.put("Range", "bytes=" + range.offset + "-" + (range.offset + range.length - 1));
        }
        long counted = 0;
        HttpRequest request = new HttpRequest("GET", range.url, headers, null, stop);
        try (PartScheduler.Slot connection = client.scheduler.acquire(stop, fileId);
                HttpResponse response = client.transport.execute(request)) {
            int status = response.status();
            if (status == 206 || status == 200 && range.offset == 0 && range.length == fileSize) {
                MessageDigest digest = Digests.sha256();
                byte[] buffer = new byte[Digests.BUFFER];
                long position = range.offset;
                long left = range.length;
                try (InputStream in = response.body()) {
                    int read;
                    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                        RetryLoop.checkCancelled(stop, fileId);
                        digest.update(buffer, 0, read);
                        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                        while (chunk.hasRemaining()) {
                            position += channel.write(chunk, position);
                        }
                        left -= read;
                        counted += read;
                        tracker.bytes(read);
                    }
                }
                if (left > 0) {
                    throw new java.io.EOFException("storage sent " + counted + " of " + range.length + " bytes");
                }
                String actual = Digests.base64(digest.digest());
                if (range.checksum == null || range.checksum.equals(actual)) {
                    fetched.incrementAndGet();
                    journal.record(range.partNumber, actual);
                    tracker.partDone(range.length, counted);
                    return;
                }
                tracker.partFailed(counted, true);
                // Bytes that do not hash to the part's digest are what storage refusing a part's bytes is for an
                // upload: one fresh fetch (REHASH), then final.
                throw Failure.answer(Failure.Target.STORAGE, 400, "BadDigest", null,
                        "part " + range.partNumber + " did not match its SHA-256",
                        new VerificationException("Part " + range.partNumber + " of " + fileId
                                + " does not match its SHA-256 (expected " + range.checksum + ", got " + actual
                                + ") twice; nothing was moved into place", fileId));
            }
            tracker.partFailed(counted, true);
            String text = ServiceApi.readAll(response.body());
            String code = RetryDecision.storageCode(text);
            StorageException refusal = new StorageException("Storage refused part " + range.partNumber + " of "
                    + fileId + ": " + status + " " + text.replaceAll("\\s+", " "), status, code, range.partNumber,
                    fileId);
            if (RetryDecision.forStorage(status, code) == RetryDecision.Action.REHASH) {
                // Nothing to hash again for a download: storage refused the request itself.
                throw refusal;
            }
            throw Failure.answer(Failure.Target.STORAGE, status, code, response.header("Retry-After"),
                    "storage answered " + status, refusal);
        } catch (FreightException | Failure decided) {
            throw decided;
        } catch (IOException broken) {
            tracker.partFailed(counted, true);
            RetryLoop.checkCancelled(stop, fileId);
            throw Failure.noAnswer(Failure.Target.STORAGE, ServiceApi.describe(broken), broken);
        }
    }

    /** Fresh presigned GETs for every range (they expired or were refused). */
    private synchronized void renewUrls() throws IOException {
        JsonNode info = client.api.download(fileId, true, stop);
        List<DownloadRange> fresh = DownloadRange.listed(info, fileSize);
        Map<Integer, DownloadRange> byNumber = new TreeMap<>();
        for (DownloadRange range : fresh) {
            byNumber.put(range.partNumber, range);
        }
        current.forEach((number, range) -> {
            DownloadRange renewed = byNumber.get(number);
            if (renewed != null) {
                range.url = renewed.url;
                range.headers = renewed.headers;
                range.expiresAt = renewed.expiresAt;
            }
        });
    }
}
