package dev.freight.embedded;

import java.security.MessageDigest;

/**
 * Feeds the payload of an {@code aws-chunked} body (SigV4 streaming: {@code hex-size;chunk-signature=...\r\n},
 * the bytes, {@code \r\n}, ending with a zero-size chunk and optional trailers) into a digest, skipping the
 * framing, so a part sent by an SDK over plain HTTP is hashed as S3 hashes it.
 */
final class AwsChunkedDigest {

    private final MessageDigest digest;
    private final StringBuilder header = new StringBuilder();
    private long remaining = -1; // -1: reading a chunk header; 0: reading the CRLF after the data
    private int crlfToSkip;
    private boolean done;

    AwsChunkedDigest(MessageDigest digest) {
        this.digest = digest;
    }

    void update(byte[] bytes) {
        int index = 0;
        while (index < bytes.length && !done) {
            if (crlfToSkip > 0) {
                crlfToSkip--;
                index++;
            } else if (remaining > 0) {
                int take = (int) Math.min(remaining, bytes.length - index);
                digest.update(bytes, index, take);
                remaining -= take;
                index += take;
                if (remaining == 0) {
                    crlfToSkip = 2;
                    remaining = -1;
                }
            } else {
                char next = (char) (bytes[index++] & 0xff);
                if (next == '\n') {
                    String line = header.toString().trim();
                    header.setLength(0);
                    int semicolon = line.indexOf(';');
                    long size = Long.parseLong(semicolon < 0 ? line : line.substring(0, semicolon), 16);
                    if (size == 0) {
                        done = true; // trailers follow; they carry no payload
                    } else {
                        remaining = size;
                    }
                } else {
                    header.append(next);
                }
            }
        }
    }
}
