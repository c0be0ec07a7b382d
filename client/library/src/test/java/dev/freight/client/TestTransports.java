package dev.freight.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/** Transports wrapping OkHttp that count or damage part PUTs on their way to storage. */
final class TestTransports {

    private TestTransports() {
    }

    static int partNumber(HttpRequest request) {
        String path = okhttp3.HttpUrl.get(request.url()).encodedPath();
        String[] segments = path.split("/");
        return segments.length >= 4 && segments[1].equals("storage") ? Integer.parseInt(segments[3]) : -1;
    }

    /** Counts PUT attempts and flips one byte of the body of every PUT for which {@code corrupt} says so. */
    static final class Corrupting implements HttpTransport {
        final HttpTransport inner = new OkHttpTransport();
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger putAttempt = new AtomicInteger();
        private final IntPredicate corrupt;

        Corrupting(IntPredicate corruptAttempt) {
            this.corrupt = corruptAttempt;
        }

        @Override
        public HttpResponse execute(HttpRequest request) throws IOException {
            if (!request.method().equals("PUT")) {
                return inner.execute(request);
            }
            puts.incrementAndGet();
            int attempt = putAttempt.incrementAndGet();
            if (!corrupt.test(attempt)) {
                return inner.execute(request);
            }
            HttpRequest.Body body = request.body();
            HttpRequest.Body damaged = new HttpRequest.Body() {
                @Override
                public long contentLength() {
                    return body.contentLength();
                }

                @Override
                public String contentType() {
                    return body.contentType();
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    body.writeTo(new FilterOutputStream(out) {
                        private boolean flipped;

                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            if (!flipped && length > 0) {
                                byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
                                copy[0] ^= 0x01;
                                flipped = true;
                                out.write(copy);
                            } else {
                                out.write(bytes, offset, length);
                            }
                        }
                    });
                }
            };
            return inner.execute(new HttpRequest(request.method(), request.url(), request.headers(), damaged));
        }
    }
}
