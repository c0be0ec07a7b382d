package dev.freight.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** An HTTP answer; close it to release the connection. */
public interface HttpResponse extends Closeable {

    int status();

    /** The first value of header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The body, streamed; read it before closing the answer. */
    InputStream body() throws IOException;

    @Override
    void close();
}
