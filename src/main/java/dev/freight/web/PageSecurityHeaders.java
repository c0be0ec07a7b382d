package dev.freight.web;

import java.net.URI;
import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.freight.config.FreightConfig;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A Content-Security-Policy for the browser app's page: scripts and styles only from the app itself (no inline
 * script), network calls only to the API (same origin) and to the storage origin the presigned URLs point at, no
 * plugins, no framing, no base or form tricks. A script that got injected anyway could reach nowhere else.
 */
@Singleton
public class PageSecurityHeaders {

    static final String HEADER = "Content-Security-Policy";
    private static final String HTML = "text/html";

    private final S3Presigner presigner;
    private final String bucket;
    private volatile String policy;

    PageSecurityHeaders(S3Presigner presigner, FreightConfig config) {
        this.presigner = presigner;
        this.bucket = config.storage().bucket();
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 10);
    }

    /**
     * Decided on what is answered, not on how the path was spelled: the static handler serves the page for
     * {@code /%69ndex.html}, {@code /./index.html} or {@code //index.html} as well, so every HTML answer gets the
     * headers, whatever its path.
     */
    private void handle(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> {
            String contentType = context.response().headers().get(HttpHeaders.CONTENT_TYPE);
            if (contentType != null && contentType.regionMatches(true, 0, HTML, 0, HTML.length())) {
                context.response().putHeader(HEADER, policy());
                context.response().putHeader("X-Content-Type-Options", "nosniff");
                context.response().putHeader("Referrer-Policy", "no-referrer");
            }
        });
        context.next();
    }

    String policy() {
        String known = policy;
        if (known == null) {
            known = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self' " + storageOrigin() + "; base-uri 'none'; form-action 'none'; "
                    + "frame-ancestors 'none'; object-src 'none'";
            policy = known;
        }
        return known;
    }

    /**
     * The origin part URLs and downloads point at: signing is local (no call to S3), so the presigner is asked
     * for one URL and its origin kept. Without credentials at hand, any HTTPS origin (the policy still forbids
     * inline script and plain-HTTP calls elsewhere).
     */
    private String storageOrigin() {
        try {
            URI url = presigner.presignGetObject(get -> get.signatureDuration(Duration.ofMinutes(1))
                    .getObjectRequest(object -> object.bucket(bucket).key("origin-probe"))).url().toURI();
            return url.getScheme() + "://" + url.getRawAuthority();
        } catch (RuntimeException | java.net.URISyntaxException unavailable) {
            Log.warnf("Storage origin unknown for the page's Content-Security-Policy (%s); allowing any https origin",
                    unavailable.getClass().getSimpleName());
            return "https:";
        }
    }
}
