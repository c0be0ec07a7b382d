package dev.freight.browser;

import static dev.freight.browser.UploadPage.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Uppy plugin (@freight/uppy, {@code js/uppy}) in real Uppy 5 and 6 (the npm {@code uppy} bundles, installed in
 * {@code src/test/uppy} by the build) with Golden Retriever, in Chromium: an Uppy app that uses the plugin where
 * {@code AwsS3} was uploads with SHA-256-bound parts, a part corrupted on the way is refused by storage and sent
 * again, and, in Uppy's Dashboard (file added, upload started and progress shown there), after a browser restart
 * Golden Retriever's restored file resumes, sending only the parts storage lacks.
 * The app's page is served by the app; the Uppy bundle and the plugin come through routes, the client package from
 * the service.
 */
@QuarkusTest
class BrowserUppyPluginTest {

    static final Path UPPY = Path.of("src", "test", "uppy");
    static final int PART_SIZE = 5 * MIB;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @ParameterizedTest(name = "Uppy {0}")
    @ValueSource(ints = {5, 6})
    void uploadsWithChecksummedPartsAndSendsACorruptedPartAgain(int uppyMajor) throws Exception {
        Path file = UploadPage.randomFile(files, "uppy-" + uppyMajor + ".bin", 3L * PART_SIZE + 1234, 20 + uppyMajor);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            // Part 2's first PUT arrives with one byte flipped: storage checks it against the signed SHA-256.
            AtomicBoolean corrupted = new AtomicBoolean();
            S3Traffic.routePartPuts(browser, route -> {
                byte[] body = route.request().postDataBuffer();
                if (S3Traffic.partNumber(route.request().url()) == 2 && body != null && corrupted.compareAndSet(false, true)) {
                    body[100] ^= 1;
                    route.resume(new Route.ResumeOptions().setPostData(body));
                } else {
                    route.resume();
                }
            });
            Page page = open(browser, uppyMajor);
            page.setInputFiles("#file", file);
            PlaywrightAssertions.assertThat(page.locator("body")).hasAttribute("data-done", "true");

            String fileId = page.locator("body").getAttribute("data-file-id");
            assertThat(corrupted).isTrue();
            assertThat(traffic.putsOf(2)).as("part 2 refused, read, hashed and sent again").isEqualTo(2);
            assertThat(List.of(1, 3, 4).stream().map(traffic::putsOf)).containsOnly(1L);
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
            assertThat(storage.itemString(fileId, "file_size")).isEqualTo(String.valueOf(3L * PART_SIZE + 1234));
            assertThat(storage.itemString(fileId, "checksum_algorithm")).isEqualTo("SHA256");
            assertThat(traffic.completeBodies).singleElement()
                    .satisfies(body -> assertThat(body.split("checksum_sha256")).hasSize(5));
            @SuppressWarnings("unchecked")
            Map<String, Object> seen = (Map<String, Object>) page.evaluate("() => window.e2e.seen");
            @SuppressWarnings("unchecked")
            Map<String, Object> success = (Map<String, Object>) seen.get("success");
            assertThat(success.get("complete")).isEqualTo(true);
            @SuppressWarnings("unchecked")
            Map<String, Object> outcome = (Map<String, Object>) success.get("body");
            assertThat(outcome.get("checksum")).isEqualTo(UploadPage.compositeSha256(file, PART_SIZE));
            assertThat((List<?>) seen.get("errors")).isEmpty();
            assertThat(((Number) seen.get("starts")).intValue()).isEqualTo(1);
            @SuppressWarnings("unchecked")
            List<Number> progress = (List<Number>) seen.get("progress");
            assertThat(progress.get(progress.size() - 1).longValue()).isEqualTo(3L * PART_SIZE + 1234);
            assertThat(storage.item(fileId).orElseThrow().get("metadata").m()).containsKey("album");
            browser.close();
        }
    }

    /**
     * The person works in Uppy's Dashboard: adds the file there, starts the upload with its button and watches the
     * plugin's progress in its status bar; the browser closes at 3 of 9 parts; after the restart the Dashboard says
     * the session was restored, the person adds the file again and resumes, and only the missing parts are sent.
     */
    @ParameterizedTest(name = "Uppy {0}")
    @ValueSource(ints = {5, 6})
    void resumesInTheDashboardAfterABrowserRestartSendingOnlyTheMissingParts(int uppyMajor) throws Exception {
        Path file = UploadPage.randomFile(files, "restart-" + uppyMajor + ".bin", 8L * PART_SIZE + 99, 30 + uppyMajor);
        try (Chromium chromium = new Chromium()) {
            BrowserContext first = chromium.launch();
            S3Traffic.HeldParts held = S3Traffic.HeldParts.above(first, 3); // still on the wire at the close
            Page page = open(first, uppyMajor, true);
            page.waitForFileChooser(() -> page.locator(".uppy-Dashboard-browse").first().click()).setFiles(file);
            page.locator(".uppy-StatusBar-actionBtn--upload").click();
            page.waitForFunction("() => document.body.dataset.fileId");
            String fileId = page.locator("body").getAttribute("data-file-id");
            page.waitForCondition(() -> BrowserResumeTest.storedParts(fileId).size() == 3);
            // The Dashboard draws Uppy's total progress, which the plugin's upload-progress events feed: a third stored.
            page.waitForFunction("() => window.e2e.uppy.getState().totalProgress >= 30");
            int shown = ((Number) page.evaluate("() => window.e2e.uppy.getState().totalProgress")).intValue();
            assertThat(shown).isBetween(30, 99);
            PlaywrightAssertions.assertThat(page.locator(".uppy-StatusBar-statusPrimary")).containsText(shown + "%");
            PlaywrightAssertions.assertThat(page.locator(".uppy-Dashboard-Item")).hasClass(Pattern.compile("is-inprogress"));
            // Golden Retriever saves Uppy's state (the file's Freight id with it) at most every 500 ms: let it.
            page.waitForTimeout(1500);
            held.fail();
            first.close();
            assertThat(BrowserResumeTest.storedParts(fileId)).containsExactly(1, 2, 3);

            BrowserContext second = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(second);
            Page again = open(second, uppyMajor, true);
            PlaywrightAssertions.assertThat(again.locator("body")).hasAttribute("data-restored", "1");
            PlaywrightAssertions.assertThat(again.locator(".uppy-Dashboard-serviceMsg")).isVisible();
            // Golden Retriever kept no bytes of a file this big: the person adds it again, then resumes.
            again.locator(".uppy-DashboardContent-addMore").click();
            again.waitForFileChooser(() -> again.locator(".uppy-Dashboard-browse").first().click()).setFiles(file);
            again.locator(".uppy-StatusBar-actionBtn--upload").click();
            PlaywrightAssertions.assertThat(again.locator("body")).hasAttribute("data-done", "true");
            PlaywrightAssertions.assertThat(again.locator(".uppy-StatusBar-statusPrimary")).containsText("Complete");
            PlaywrightAssertions.assertThat(again.locator(".uppy-Dashboard-Item")).hasClass(Pattern.compile("is-complete"));
            assertThat(again.locator("body").getAttribute("data-file-id")).isEqualTo(fileId);
            assertThat(traffic.partPuts).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(4, 9).boxed().toList());
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
            second.close();
        }
    }

    /** The Uppy app's page on the app's origin, served from {@code src/test/uppy} by a route. */
    private Page open(BrowserContext browser, int uppyMajor) {
        return open(browser, uppyMajor, false);
    }

    /** With {@code dashboard}, the app shows Uppy's Dashboard, where the person adds files and starts uploads. */
    private Page open(BrowserContext browser, int uppyMajor, boolean dashboard) {
        serveUppyApp(browser, uppyMajor);
        Page page = browser.pages().get(0);
        page.navigate(root + "uppy-e2e/index.html?part_size=" + PART_SIZE + (dashboard ? "&dashboard" : ""));
        PlaywrightAssertions.assertThat(page.locator("body")).hasAttribute("data-ready", "true");
        return page;
    }

    /**
     * Next to the app's page ({@code src/test/resources/META-INF/resources/uppy-e2e}, served by the app, so Chromium
     * treats its requests to storage as the local page's): the Uppy bundle of {@code uppyMajor}, and the plugin with
     * its bare imports resolved as a bundler does (the bundle as {@code @uppy/core}, the package the service serves).
     */
    static void serveUppyApp(BrowserContext browser, int uppyMajor) {
        browser.route("**/uppy-e2e/uppy.mjs", route -> fulfill(route,
                read(UPPY.resolve("node_modules/uppy" + uppyMajor + "/dist/uppy.min.mjs"))));
        browser.route("**/uppy-e2e/uppy.css", route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
                .setContentType("text/css; charset=utf-8")
                .setBodyBytes(read(UPPY.resolve("node_modules/uppy" + uppyMajor + "/dist/uppy.min.css")))));
        browser.route("**/uppy-e2e/freight-uppy.js", route -> fulfill(route,
                new String(read(Path.of("js", "uppy", "src", "index.js")), StandardCharsets.UTF_8)
                        .replace("from '@uppy/core'", "from './uppy.mjs'")
                        .replace("from '@freight/client'", "from '/freight-client/v1/index.js'")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static void fulfill(Route route, byte[] script) {
        route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/javascript; charset=utf-8")
                .setBodyBytes(script));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
