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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /** One range of the file and what it must hash to. */
    public static final class Range {
        final int partNumber;
        final long offset;
        final long length;
        final String checksum;
        String url;
        Map<String, String> headers;
        Instant expiresAt;

        Range(int partNumber, long offset, long length, String checksum, String url, Map<String, String> headers,
                Instant expiresAt) {
            this.partNumber = partNumber;
            this.offset = offset;
            this.length = length;
            this.checksum = checksum;
            this.url = url;
            this.headers = headers;
            this.expiresAt = expiresAt;
        }
    }

    private final ClientContext client;
    private final String fileId;
    private final File target;
    private final DownloadOptions options;
    private final Cancellation stop;
    private final AtomicInteger fetched = new AtomicInteger();
    private final Map<Integer, String> verified = new TreeMap<>();
    private ProgressTracker tracker;
    private File journal;
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
        List<Range> ranges = ranges(info, fileSize);
        boolean byParts = true;
        for (Range range : ranges) {
            byParts &= range.checksum != null;
        }
        tracker = new ProgressTracker(options.listener(), options.progressIntervalMillis(), target.getName(), fileSize);
        File directory = target.getParentFile();
        if (directory != null && !directory.isDirectory() && !directory.mkdirs()) {
            throw new IOException("Cannot create " + directory);
        }
        File temporary = new File(directory, target.getName() + ".freight-download");
        journal = new File(directory, target.getName() + ".freight-download.json");
        try (RandomAccessFile file = new RandomAccessFile(temporary, "rw")) {
            FileChannel channel = file.getChannel();
            loadJournal(channel, ranges);
            if (file.length() != fileSize) {
                file.setLength(fileSize);
            }
            List<Range> missing = new ArrayList<>();
            long held = 0;
            for (Range range : ranges) {
                if (verified.containsKey(range.partNumber)) {
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
            for (Range range : ranges) {
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
        if (journal.exists() && !journal.delete()) {
            journal.deleteOnExit();
        }
        tracker.phase(Phase.DONE);
        return new DownloadResult(fileId, target, fileSize, ranges.size(), fetched.get(), byParts,
                (System.nanoTime() - started) / 1_000_000L);
    }

    /** The answer's parts, or the whole object as one range when it lists none (a plain upload). */
    public static List<Range> ranges(JsonNode info, long fileSize) {
        List<Range> ranges = new ArrayList<>();
        long next = 0;
        int index = 0;
        for (JsonNode part : info.path("parts")) {
            index++;
            long offset = -1;
            long length = -1;
            String rangeText = Json.text(part, "range");
            if (rangeText == null) {
                rangeText = Json.stringMap(part.get("headers")).get("Range");
            }
            if (rangeText != null && rangeText.startsWith("bytes=")) {
                String[] bounds = rangeText.substring(6).split("-");
                offset = Long.parseLong(bounds[0].trim());
                length = Long.parseLong(bounds[1].trim()) - offset + 1;
            }
            for (String field : new String[] {"offset", "start", "first_byte", "range_start"}) {
                if (offset < 0 && part.has(field)) {
                    offset = part.get(field).asLong();
                }
            }
            for (String field : new String[] {"size", "length", "content_length"}) {
                if (length < 0 && part.has(field)) {
                    length = part.get(field).asLong();
                }
            }
            if (length < 0 && part.has("last_byte")) {
                length = part.get("last_byte").asLong() - offset + 1;
            }
            if (length < 0 && part.has("range_end")) {
                length = part.get("range_end").asLong() - offset + 1;
            }
            if (offset < 0) {
                offset = next;
            }
            long partSize = info.path("part_size").asLong(-1);
            if (length < 0 && partSize > 0) {
                length = Math.min(partSize, fileSize - offset);
            }
            String checksum = Json.text(part, "checksum_sha256");
            if (checksum == null) {
                checksum = Json.text(part, "sha256");
            }
            String expires = Json.text(part, "expires_at");
            ranges.add(new Range(part.path("part_number").asInt(index), offset, length, checksum,
                    Json.text(part, "url"), Json.stringMap(part.get("headers")),
                    expires == null ? null : Instant.parse(expires)));
            next = offset + length;
        }
        for (int i = 0; i < ranges.size(); i++) {
            Range range = ranges.get(i);
            if (range.length < 0) {
                long end = i + 1 < ranges.size() && ranges.get(i + 1).offset > range.offset ? ranges.get(i + 1).offset
                        : fileSize;
                ranges.set(i, new Range(range.partNumber, range.offset, end - range.offset, range.checksum, range.url,
                        range.headers, range.expiresAt));
            }
        }
        if (ranges.isEmpty()) {
            String expires = Json.text(info, "expires_at");
            ranges.add(new Range(1, 0, fileSize, null, Json.text(info, "url"), Collections.<String, String>emptyMap(),
                    expires == null ? null : Instant.parse(expires)));
        }
        return ranges;
    }

    private void fetchAll(FileChannel channel, List<Range> missing) throws IOException {
        Map<Integer, Range> byNumber = new TreeMap<>();
        for (Range range : missing) {
            byNumber.put(range.partNumber, range);
        }
        PartRunner.runAll(new ArrayList<>(byNumber.keySet()), options.parallelism(),
                number -> fetch(channel, byNumber.get(number)), stop, fileId, "freight-download");
    }

    /**
     * Fetches one range in the {@link RetryLoop}, through a connection of the client's {@link PartScheduler}: a part
     * whose bytes do not hash to its digest is fetched once more (the loop's REHASH), then fails.
     */
    private void fetch(FileChannel channel, Range range) throws IOException {
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

    private void fetchOnce(FileChannel channel, Range range) throws IOException {
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
                    recordVerified(range.partNumber, actual);
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
        List<Range> fresh = ranges(info, fileSize);
        Map<Integer, Range> byNumber = new TreeMap<>();
        for (Range range : fresh) {
            byNumber.put(range.partNumber, range);
        }
        current.forEach((number, range) -> {
            Range renewed = byNumber.get(number);
            if (renewed != null) {
                range.url = renewed.url;
                range.headers = renewed.headers;
                range.expiresAt = renewed.expiresAt;
            }
        });
    }

    private final Map<Integer, Range> current = new java.util.concurrent.ConcurrentHashMap<>();

    private void loadJournal(FileChannel channel, List<Range> ranges) throws IOException {
        for (Range range : ranges) {
            current.put(range.partNumber, range);
        }
        if (!journal.isFile()) {
            return;
        }
        JsonNode saved;
        try {
            saved = Json.MAPPER.readTree(journal);
        } catch (IOException unreadable) {
            return;
        }
        if (saved == null || !fileId.equals(Json.text(saved, "file_id")) || saved.path("file_size").asLong() != fileSize
                || etag != null && !etag.equals(Json.text(saved, "etag")) || channel.size() != fileSize) {
            return;
        }
        Map<String, String> parts = Json.stringMap(saved.get("verified"));
        for (Range range : ranges) {
            String digest = parts.get(Integer.toString(range.partNumber));
            // Checked again: the temporary file may have been touched since.
            if (digest != null && digest.equals(hashRegion(channel, range)) && (range.checksum == null
                    || range.checksum.equals(digest))) {
                verified.put(range.partNumber, digest);
            }
        }
    }

    private static String hashRegion(FileChannel channel, Range range) throws IOException {
        MessageDigest digest = Digests.sha256();
        ByteBuffer buffer = ByteBuffer.allocate(Digests.BUFFER);
        long position = range.offset;
        long end = range.offset + range.length;
        while (position < end) {
            ((java.nio.Buffer) buffer).clear();
            ((java.nio.Buffer) buffer).limit((int) Math.min(buffer.capacity(), end - position));
            int read = channel.read(buffer, position);
            if (read < 0) {
                break;
            }
            digest.update(buffer.array(), 0, read);
            position += read;
        }
        return Digests.base64(digest.digest());
    }

    private synchronized void recordVerified(int partNumber, String digest) throws IOException {
        verified.put(partNumber, digest);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("file_id", fileId);
        node.put("file_size", fileSize);
        node.put("etag", etag);
        ObjectNode parts = node.putObject("verified");
        verified.forEach((number, value) -> parts.put(number.toString(), value));
        File temporary = new File(journal.getPath() + ".tmp");
        // Owner-only, as the upload state: it names the file and the download's progress.
        OwnerOnlyFiles.write(temporary.toPath(), Json.MAPPER.writeValueAsBytes(node), false);
        if (!temporary.renameTo(journal)) {
            throw new IOException("Cannot write " + journal);
        }
    }
}
