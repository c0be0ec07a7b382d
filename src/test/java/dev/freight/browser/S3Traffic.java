package dev.freight.browser;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;

import dev.freight.support.EmbeddedStorageResource;

/**
 * Records what the page sends: part PUTs to storage (by part number), and the init, refresh_urls and complete
 * bodies it sends to the service.
 */
final class S3Traffic {

    private static final Pattern PART_NUMBER = Pattern.compile("[?&]partNumber=(\\d+)");

    final List<Integer> partPuts = new CopyOnWriteArrayList<>();
    final List<String> initBodies = new CopyOnWriteArrayList<>();
    final List<String> refreshBodies = new CopyOnWriteArrayList<>();
    final List<String> completeBodies = new CopyOnWriteArrayList<>();

    /**
     * Part PUTs above {@code lastLetThrough} held (not answered: still on the wire) while {@link #holding} is set; the
     * others, and all once it is cleared, go through. {@link #release} lets the held ones go, {@link #fail} fails them.
     */
    static final class HeldParts {
        final AtomicBoolean holding = new AtomicBoolean(true);
        final List<Route> held = new CopyOnWriteArrayList<>();

        static HeldParts above(BrowserContext browser, int lastLetThrough) {
            HeldParts parts = new HeldParts();
            routePartPuts(browser, route -> {
                if (parts.holding.get() && partNumber(route.request().url()) > lastLetThrough) {
                    parts.held.add(route);
                    return;
                }
                route.resume();
            });
            return parts;
        }

        void release() {
            holding.set(false);
            held.forEach(Route::resume);
        }

        /** Failed, not released: a held request let go while the browser shuts down could still reach storage. */
        void fail() {
            for (Route route : held) {
                try {
                    route.abort();
                } catch (RuntimeException alreadyGone) {
                    // the page gave the request up itself
                }
            }
        }
    }

    static S3Traffic recordOn(BrowserContext context) {
        S3Traffic traffic = new S3Traffic();
        context.onRequest(traffic::seen);
        return traffic;
    }

    /**
     * Sends every part PUT to {@code partPuts} (which may answer it, fail it, or hold it by doing nothing) and lets
     * everything else through. It routes all URLs, so Playwright never re-registers patterns while a browser closes.
     */
    static void routePartPuts(BrowserContext browser, Consumer<Route> partPuts) {
        browser.route(url -> true, route -> {
            try {
                if ("PUT".equals(route.request().method()) && isStorage(route.request().url())) {
                    partPuts.accept(route);
                } else {
                    route.resume();
                }
            } catch (PlaywrightException closing) {
                // The browser closed while a request was routed: what a user closing it mid-upload does.
            }
        });
    }

    static boolean isStorage(String url) {
        URI storage = EmbeddedStorageResource.s3().endpoint();
        URI target = URI.create(url);
        return target.getPort() == storage.getPort() && storage.getHost().equals(target.getHost());
    }

    static int partNumber(String url) {
        Matcher matcher = PART_NUMBER.matcher(url);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private void seen(Request request) {
        if ("PUT".equals(request.method()) && isStorage(request.url())) {
            partPuts.add(partNumber(request.url()));
        } else if (request.url().endsWith("/api/upload/init")) {
            initBodies.add(request.postData());
        } else if (request.url().endsWith("/api/upload/refresh_urls")) {
            refreshBodies.add(request.postData());
        } else if (request.url().endsWith("/api/upload/complete")) {
            completeBodies.add(request.postData());
        }
    }

    long putsOf(int partNumber) {
        return partPuts.stream().filter(number -> number == partNumber).count();
    }

    /** How often a URL for the part was asked for: with init (the first parts) or with refresh_urls. */
    long signingsOf(int partNumber) {
        return java.util.stream.Stream.concat(initBodies.stream(), refreshBodies.stream())
                .filter(body -> body.contains("\"part_number\":" + partNumber + ",")).count();
    }
}
