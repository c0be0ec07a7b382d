package dev.freight.client;

import java.io.IOException;

/**
 * Gives the bearer token for the next request; called before every service call (and again after a 401), so an
 * app that refreshes its tokens keeps a long upload going. Return null when the service needs no token.
 */
public interface TokenSupplier {

    String token() throws IOException;

    /** A supplier that always answers {@code token}. */
    static TokenSupplier fixed(String token) {
        return () -> token;
    }
}
