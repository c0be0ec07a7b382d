package dev.freight.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes to upload that can be read from any offset: a file ({@link FileSource}), or on Android a content URI
 * ({@code ContentResolver.openFileDescriptor} then {@code FileInputStream.getChannel().position(offset)}).
 * The library reads each part when its turn comes (twice: once to hash it, once to send it) and never holds
 * more than a small buffer per part in flight.
 */
public interface UploadSource {

    /** The name the upload gets (no directories). */
    String name();

    long size() throws IOException;

    /** Modification time in epoch milliseconds, or -1 when unknown; guards resumes against an edited source. */
    long lastModified() throws IOException;

    /** A stream positioned at {@code offset}; the library reads only as many bytes as it needs and closes it. */
    InputStream openAt(long offset) throws IOException;

    /** Media type for the upload, or null to guess one from the name. */
    default String contentType() {
        return null;
    }

    /**
     * A stable key for this source on this device (an absolute path, a content URI), stored with the resume state
     * so {@code resume} can find it; null when the source has none.
     */
    default String key() {
        return null;
    }
}
