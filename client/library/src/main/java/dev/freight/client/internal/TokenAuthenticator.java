package dev.freight.client.internal;

import java.io.IOException;

import okhttp3.Authenticator;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

import dev.freight.client.TokenSupplier;

/**
 * OkHttp's own answer to a 401: asks the app's {@link TokenSupplier} once more and sends the request again with
 * the fresh token. Only service calls carry a bearer token (presigned storage URLs never do), so only they are
 * answered; a second 401, or the same token again, reaches the caller as the service's refusal.
 */
public final class TokenAuthenticator implements Authenticator {

    private static final String BEARER = "Bearer ";

    private final TokenSupplier tokens;

    public TokenAuthenticator(TokenSupplier tokens) {
        this.tokens = tokens;
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
        String sent = response.request().header("Authorization");
        if (response.priorResponse() != null || sent == null || !sent.startsWith(BEARER)) {
            return null;
        }
        String fresh = tokens.token();
        if (fresh == null || sent.equals(BEARER + fresh)) {
            return null;
        }
        return response.request().newBuilder().header("Authorization", BEARER + fresh).build();
    }
}
