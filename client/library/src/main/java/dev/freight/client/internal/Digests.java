package dev.freight.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

import dev.freight.client.UploadSource;

/** SHA-256 helpers: part digests, the source fingerprint and S3's composite checksum. */
public final class Digests {

    public static final int BUFFER = 64 * 1024;
    private static final int SAMPLE = 64 * 1024;

    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is missing from this runtime", impossible);
        }
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Base64 SHA-256 of {@code length} bytes of {@code source} from {@code offset}, read in 64 KiB steps. */
    public static String ofRange(UploadSource source, long offset, long length) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = source.openAt(offset)) {
            long left = length;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new EOFException("The source ended " + left + " bytes early (it changed or shrank)");
                }
                digest.update(buffer, 0, read);
                left -= read;
            }
        }
        return base64(digest.digest());
    }

    /**
     * The content fingerprint the browser app uses too (so either can resume the other's uploads): base64 SHA-256
     * of the size as 8 big-endian bytes followed by three 64 KiB samples (start, middle, end).
     */
    public static String fingerprint(UploadSource source) throws IOException {
        long size = source.size();
        long[] starts = {0, Math.max(0, size / 2 - SAMPLE / 2), Math.max(0, size - SAMPLE)};
        MessageDigest digest = sha256();
        byte[] sizeBytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            sizeBytes[i] = (byte) (size >>> (56 - 8 * i));
        }
        digest.update(sizeBytes);
        byte[] buffer = new byte[SAMPLE];
        for (long start : starts) {
            int length = (int) Math.min(SAMPLE, size - start);
            try (InputStream in = source.openAt(start)) {
                int filled = 0;
                while (filled < length) {
                    int read = in.read(buffer, filled, length - filled);
                    if (read < 0) {
                        throw new EOFException("The source ended early");
                    }
                    filled += read;
                }
            }
            digest.update(buffer, 0, length);
        }
        return base64(digest.digest());
    }

    /** S3's composite checksum of a SHA256 multipart object: base64 SHA-256 of the part digests, "-", count. */
    public static String composite(List<String> partDigests) {
        MessageDigest digest = sha256();
        for (String part : partDigests) {
            digest.update(Base64.getDecoder().decode(part));
        }
        return base64(digest.digest()) + "-" + partDigests.size();
    }
}
