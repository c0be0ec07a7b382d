package dev.freight.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

import dev.freight.client.HttpRequest;
import dev.freight.client.UploadSource;

/**
 * One part's bytes, streamed from the source in 64 KiB steps each time it is written: nothing of the part is kept
 * in memory, the send rate cap applies, progress is counted, and a cancel stops the write within one step.
 */
public final class PartBody implements HttpRequest.Body {

    public interface Counter {
        void add(long bytes);
    }

    private final UploadSource source;
    private final long offset;
    private final long length;
    private final RateLimiter limiter;
    private final Cancellation cancel;
    private final Counter counter;

    PartBody(UploadSource source, long offset, long length, RateLimiter limiter, Cancellation cancel, Counter counter) {
        this.source = source;
        this.offset = offset;
        this.length = length;
        this.limiter = limiter;
        this.cancel = cancel;
        this.counter = counter;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public String contentType() {
        return null;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        byte[] buffer = new byte[Digests.BUFFER];
        try (InputStream in = source.openAt(offset)) {
            long left = length;
            while (left > 0) {
                if (cancel.cancelled()) {
                    throw new InterruptedIOException("cancelled");
                }
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new EOFException("The source ended " + left + " bytes early (it changed or shrank)");
                }
                if (!limiter.acquire(read, cancel)) {
                    throw new InterruptedIOException("cancelled");
                }
                out.write(buffer, 0, read);
                counter.add(read);
                left -= read;
            }
        }
        out.flush();
    }
}
