package dev.freight.browser;

import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;


import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;

import dev.freight.companion.CompanionProfile;
import dev.freight.support.HostAppServer;
import dev.freight.support.HostAppServer.Served;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Real Uppy 5 and 6 (the npm {@code uppy} bundles, installed from src/test/uppy's package-lock) in Chromium, as an
 * app that only points Uppy's Companion option at Freight: a multipart upload closed mid-way with the browser, restored
 * by Golden Retriever after a restart and finished with only the parts storage lacks; a small file through a browser
 * POST form. Each object is read back from storage and compared byte for byte, and each record is {@code uploaded}
 * with the file's size. The app's page lives on its own origin (CORS), served by Playwright.
 */
@QuarkusTest
@TestProfile(CompanionProfile.class)
class UppyCompanionTest {

    private static final Path FIXTURE = Path.of("src/test/uppy");
    private static final int PART_SIZE = 5 * MIB;
    private static final int PARTS = 6;
    /** Two of six parts (38 %) are let through before the browser closes. */
    private static final int SENT_BEFORE_CLOSING = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @ParameterizedTest(name = "Uppy {0}")
    @ValueSource(ints = {5, 6})
    void aMultipartUploadClosedMidWayIsRestoredByGoldenRetrieverAndFinishedWithTheMissingPartsOnly(int version)
            throws Exception {
        String name = "uppy" + version + "-holiday.mov";
        byte[] file = TestFiles.randomBytes((PARTS - 1) * PART_SIZE + MIB + 333, 290 + version);
        long lastModified = Instant.parse("2026-11-30T10:15:30Z").toEpochMilli();
        String companion = companionBase(version);

        try (Chromium chromium = new Chromium(); HostAppServer app = appServer(Map.of(name, file))) {
            BrowserContext browser = chromium.launch();
            List<Route> held = new CopyOnWriteArrayList<>();
            Map<String, String> started = watch(browser, route -> {
                if (S3Traffic.partNumber(route.request().url()) > SENT_BEFORE_CLOSING) {
                    held.add(route); // still on the wire when the browser closes
                } else {
                    route.resume();
                }
            });
            Page page = open(browser, app, version, companion);
            page.evaluate("([name, last]) => window.freight.add(name, 'video/quicktime', last)",
                    List.of(name, (double) lastModified));
            page.evaluate("() => { window.freight.uppy.upload(); }");
            String key = waitFor(page, () -> started.get("key"), "the multipart upload to start");
            waitFor(page, () -> storedParts(key).size() == SENT_BEFORE_CLOSING ? true : null, "two parts in storage");
            double progress = ((Number) page.evaluate("name => window.freight.progress[name] ?? 0", name))
                    .doubleValue();
            assertThat(progress).isBetween(0.3, 0.45);
            // Golden Retriever writes its state at most every 500 ms.
            page.waitForTimeout(1_200);
            for (Route route : held) {
                try {
                    route.abort();
                } catch (PlaywrightException alreadyGone) {
                    // the page gave the request up itself
                }
            }
            try {
                browser.close();
            } catch (PlaywrightException retriesStillArriving) {
                // Uppy retries the failed parts at once; closing while their routes arrive is what a user does.
            }
            assertThat(storedParts(key)).containsExactly(1, 2);
            assertThat(status(key).getString("upload_status")).isEqualTo("uploading");

            BrowserContext reopened = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(reopened);
            watch(reopened, Route::resume);
            Page again = open(reopened, app, version, companion);
            waitFor(again, () -> Boolean.TRUE.equals(again.evaluate("() => window.freight.restored")) ? true : null,
                    "Golden Retriever to restore the upload");
            // Over 10 MiB, Golden Retriever kept no copy: the person picks the file again and Uppy matches it.
            again.evaluate("([name, last]) => window.freight.add(name, 'video/quicktime', last)",
                    List.of(name, (double) lastModified));
            again.evaluate("() => window.freight.uppy.emit('restore-confirmed')");
            JsonNode result = waitFor(again, () -> result(again, name), "the upload to finish");
            assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(traffic.partPuts).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(SENT_BEFORE_CLOSING + 1, PARTS).boxed().toList());
            reopened.close();

            assertThat(storage.object(key)).isEqualTo(file);
            JsonPath record = status(key);
            assertThat(record.getString("upload_status")).isEqualTo("uploaded");
            assertThat(record.getLong("file_size")).isEqualTo(file.length);
            assertThat(record.getInt("part_count")).isEqualTo(PARTS);
            assertThat(record.getString("filename")).isEqualTo(name);
        }
    }

    @ParameterizedTest(name = "Uppy {0}")
    @ValueSource(ints = {5, 6})
    void aSmallFileGoesInABrowserPostFormAndIsRecordedWithItsSize(int version) throws Exception {
        String name = "uppy" + version + "-note.txt";
        byte[] file = TestFiles.randomBytes(300_000 + version, 280 + version);
        try (Chromium chromium = new Chromium(); HostAppServer app = appServer(Map.of(name, file))) {
            BrowserContext browser = chromium.launch();
            Map<String, String> started = watch(browser, Route::resume);
            Page page = open(browser, app, version, companionBase(version));
            page.evaluate("([name]) => window.freight.add(name, 'text/plain', 1764500000000)", List.of(name));
            page.evaluate("() => { window.freight.uppy.upload(); }");
            JsonNode result = waitFor(page, () -> result(page, name), "the upload to finish");
            assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
            String key = started.get("postKey");
            assertThat(key).isNotNull();
            assertThat(started).doesNotContainKey("key");
            browser.close();

            assertThat(storage.object(key)).isEqualTo(file);
            JsonPath record = status(key);
            assertThat(record.getString("upload_status")).isEqualTo("uploaded");
            assertThat(record.getLong("file_size")).isEqualTo(file.length);
            assertThat(record.getString("filename")).isEqualTo(name);
        }
    }

    /**
     * Uppy 5 calls Freight's {@code /companion} (authentication is off here: every caller is one owner); Uppy 6, as
     * an app with authentication would, a capability URL its backend asked for.
     */
    private String companionBase(int version) {
        if (version == 5) {
            return root + "companion";
        }
        return given().contentType("application/json").body(Map.of()).post("/api/companion/capabilities").then()
                .statusCode(201).extract().path("companion_url");
    }

    /**
     * Hands part PUTs to {@code partPuts} and answers what the Companion routes told Uppy: the multipart {@code key},
     * a form's {@code postKey}.
     */
    private static Map<String, String> watch(BrowserContext browser, java.util.function.Consumer<Route> partPuts) {
        Map<String, String> started = new ConcurrentHashMap<>();
        browser.onResponse(response -> remember(response, started));
        // What went wrong, should the test fail: without the query (signatures stay out of the output).
        browser.onRequestFailed(request -> System.out.println("[uppy-app] failed: " + request.method() + " "
                + request.url().replaceAll("\\?.*", "") + " " + request.failure()));
        browser.onConsoleMessage(message -> System.out.println("[uppy-app] console: " + message.text()));
        browser.route(url -> true, route -> {
            try {
                if ("PUT".equals(route.request().method()) && S3Traffic.isStorage(route.request().url())) {
                    partPuts.accept(route);
                } else {
                    route.resume();
                }
            } catch (PlaywrightException closing) {
                // The browser closed while a request was routed.
            }
        });
        return started;
    }

    /**
     * The host app's own site (its origin differs from Freight's: CORS): its page, the Uppy bundles of the fixture,
     * and the test's files.
     */
    static HostAppServer appServer(Map<String, byte[]> files) {
        return new HostAppServer(path -> {
            if (path.startsWith("/files/")) {
                return new Served(files.get(path.substring("/files/".length())), "application/octet-stream");
            } else if (path.matches("/uppy[56]/uppy\\.min\\.mjs")) {
                return new Served(Files.readAllBytes(FIXTURE.resolve("node_modules").resolve(path.substring(1, 6))
                        .resolve("dist/uppy.min.mjs")), "text/javascript");
            } else if (path.equals("/app.html")) {
                return new Served(Files.readAllBytes(FIXTURE.resolve("page.html")), "text/html; charset=utf-8");
            }
            return null;
        });
    }

    private static void remember(Response response, Map<String, String> started) {
        try {
            String url = response.url();
            if (response.status() != 200 || !url.contains("/s3/")) {
                return;
            }
            if ("POST".equals(response.request().method()) && url.matches(".*/s3/multipart(\\?.*)?$")) {
                started.put("key", JSON.readTree(response.body()).get("key").asText());
            } else if (url.contains("/s3/params?")) {
                started.put("postKey", JSON.readTree(response.body()).at("/fields/key").asText());
            }
        } catch (IOException | PlaywrightException unreadable) {
            // not an answer of the Companion routes the test needs
        }
    }

    private static Page open(BrowserContext browser, HostAppServer app, int version, String companion) {
        Page page = browser.pages().isEmpty() ? browser.newPage() : browser.pages().get(0);
        page.navigate(app.origin() + "/app.html?uppy=" + version + "&companion="
                + java.net.URLEncoder.encode(companion, java.nio.charset.StandardCharsets.UTF_8));
        page.waitForFunction("() => window.freight?.ready === true");
        return page;
    }

    private static JsonNode result(Page page, String name) {
        Object result = page.evaluate("name => JSON.stringify(window.freight.results[name] ?? null)", name);
        try {
            JsonNode node = JSON.readTree(result.toString());
            return node.isNull() ? null : node;
        } catch (IOException malformed) {
            throw new IllegalStateException(malformed);
        }
    }

    /**
     * Polls {@code condition} until it answers; waits through the page, since Playwright's Java client runs its
     * routes and listeners only while the test calls into it.
     */
    private static <T> T waitFor(Page page, java.util.function.Supplier<T> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            page.waitForTimeout(100);
        }
        throw new AssertionError("Waited 60 s for " + what);
    }

    private static JsonPath status(String fileId) {
        return given().get("/api/upload/" + fileId).then().statusCode(200).extract().jsonPath();
    }

    private static List<Integer> storedParts(String fileId) {
        return status(fileId).getList("uploaded_parts.part_number", Integer.class);
    }
}
