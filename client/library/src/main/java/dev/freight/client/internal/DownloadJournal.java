package dev.freight.client.internal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of a download verified so far, kept beside the temporary file ({@code <name>.freight-download.json},
 * owner-only) so a rerun fetches only the rest; every part it names is hashed again before it is trusted.
 */
final class DownloadJournal {

    private final File file;
    private final String fileId;
    private final long fileSize;
    private final String etag;
    private final Map<Integer, String> verified = new TreeMap<>();

    DownloadJournal(File file, String fileId, long fileSize, String etag) {
        this.file = file;
        this.fileId = fileId;
        this.fileSize = fileSize;
        this.etag = etag;
    }

    /** Reads what an earlier run verified of the same object, keeping only parts {@code channel} still holds. */
    void load(FileChannel channel, List<DownloadRange> ranges) throws IOException {
        if (!file.isFile()) {
            return;
        }
        JsonNode saved;
        try {
            saved = Json.MAPPER.readTree(file);
        } catch (IOException unreadable) {
            return;
        }
        if (saved == null || !fileId.equals(Json.text(saved, "file_id")) || saved.path("file_size").asLong() != fileSize
                || etag != null && !etag.equals(Json.text(saved, "etag")) || channel.size() != fileSize) {
            return;
        }
        Map<String, String> parts = Json.stringMap(saved.get("verified"));
        for (DownloadRange range : ranges) {
            String digest = parts.get(Integer.toString(range.partNumber));
            // Checked again: the temporary file may have been touched since.
            if (digest != null && digest.equals(hashRegion(channel, range)) && (range.checksum == null
                    || range.checksum.equals(digest))) {
                verified.put(range.partNumber, digest);
            }
        }
    }

    synchronized boolean verified(int partNumber) {
        return verified.containsKey(partNumber);
    }

    /** Notes part {@code partNumber} as verified, written atomically. */
    synchronized void record(int partNumber, String digest) throws IOException {
        verified.put(partNumber, digest);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("file_id", fileId);
        node.put("file_size", fileSize);
        node.put("etag", etag);
        ObjectNode parts = node.putObject("verified");
        verified.forEach((number, value) -> parts.put(number.toString(), value));
        File temporary = new File(file.getPath() + ".tmp");
        // Owner-only, as the upload state: it names the file and the download's progress.
        OwnerOnlyFiles.write(temporary.toPath(), Json.MAPPER.writeValueAsBytes(node), false);
        if (!temporary.renameTo(file)) {
            throw new IOException("Cannot write " + file);
        }
    }

    /** The download is in place: the journal goes. */
    void delete() {
        if (file.exists() && !file.delete()) {
            file.deleteOnExit();
        }
    }

    private static String hashRegion(FileChannel channel, DownloadRange range) throws IOException {
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
}
