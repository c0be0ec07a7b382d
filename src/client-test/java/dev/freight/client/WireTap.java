package dev.freight.client;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * The library's HTTP traffic seen and, on demand, damaged on its way: counts part PUTs (to storage), service calls
 * and their 401s; flips a byte of chosen PUT bodies or ranged GET answers, as a broken network would.
 */
class WireTap implements HttpTransport {

    private final HttpTransport inner = new OkHttpTransport();
    final AtomicInteger partPuts = new AtomicInteger();
    final AtomicInteger rangedGets = new AtomicInteger();
    final AtomicInteger serviceCalls = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    volatile IntPredicate corruptPut = attempt -> false;
    volatile IntPredicate corruptGet = attempt -> false;
    /** PUT attempts whose answer is lost after storage took the part (the connection resets on the way back). */
    volatile IntPredicate dropPutAnswer = attempt -> false;
    final java.util.concurrent.atomic.AtomicLong putBytes = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public HttpResponse execute(HttpRequest request) throws IOException {
        if (request.url().contains("/api/")) {
            serviceCalls.incrementAndGet();
            HttpResponse answer = inner.execute(request);
            if (answer.status() == 401) {
                unauthorized.incrementAndGet();
            }
            return answer;
        }
        if (request.method().equals("PUT")) {
            int attempt = partPuts.incrementAndGet();
            putBytes.addAndGet(request.body().contentLength());
            HttpResponse answer = corruptPut.test(attempt) ? inner.execute(damaged(request)) : inner.execute(request);
            if (dropPutAnswer.test(attempt) && answer.status() < 300) {
                answer.close();
                throw new java.net.SocketException("Connection reset (the answer was dropped by WireTap)");
            }
            return answer;
        }
        if (request.method().equals("GET")
                && request.headers().keySet().stream().anyMatch("Range"::equalsIgnoreCase)) {
            int attempt = rangedGets.incrementAndGet();
            HttpResponse answer = inner.execute(request);
            return corruptGet.test(attempt) ? flipFirstByte(answer) : answer;
        }
        return inner.execute(request);
    }

    private static HttpRequest damaged(HttpRequest request) {
        HttpRequest.Body body = request.body();
        HttpRequest.Body flipped = new HttpRequest.Body() {
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
                    private boolean done;

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        if (!done && length > 0) {
                            done = true;
                            byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
                            copy[length / 2] ^= 0x20;
                            out.write(copy);
                        } else {
                            out.write(bytes, offset, length);
                        }
                    }
                });
            }
        };
        return new HttpRequest(request.method(), request.url(), request.headers(), flipped);
    }

    private static HttpResponse flipFirstByte(HttpResponse answer) {
        return new HttpResponse() {
            @Override
            public int status() {
                return answer.status();
            }

            @Override
            public String header(String name) {
                return answer.header(name);
            }

            @Override
            public InputStream body() throws IOException {
                return new FilterInputStream(answer.body()) {
                    private boolean done;

                    @Override
                    public int read(byte[] bytes, int offset, int length) throws IOException {
                        int read = super.read(bytes, offset, length);
                        if (!done && read > 0) {
                            done = true;
                            bytes[offset] ^= 0x01;
                        }
                        return read;
                    }
                };
            }

            @Override
            public void close() {
                answer.close();
            }
        };
    }
}
