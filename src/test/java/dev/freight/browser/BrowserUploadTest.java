package dev.freight.browser;

import static dev.freight.browser.UploadPage.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The page in headless Chromium against the service and its embedded storage: big uploads, failures, download. */
@QuarkusTest
class BrowserUploadTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @Test
    void uploadsABigFileToOneHundredPercentAndDownloadsItUnderItsName() throws Exception {
        Path file = UploadPage.randomFile(files, "big-video.mp4", 64L * MIB + 12_345, 1);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            List<String> notFound = new java.util.concurrent.CopyOnWriteArrayList<>();
            browser.onResponse(response -> {
                if (response.status() == 404) {
                    notFound.add(response.url());
                }
            });
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root.toString());

            page.choose(file);
            Locator row = page.row("big-video.mp4");
            page.waitForState("big-video.mp4", "done");

            PlaywrightAssertions.assertThat(row.locator("progress")).hasJSProperty("value", 100);
            PlaywrightAssertions.assertThat(row.locator(".figures")).containsText("100%");
            PlaywrightAssertions.assertThat(row.locator(".message")).containsText("verified");
            PlaywrightAssertions.assertThat(page.page.locator("#overall-progress")).hasJSProperty("value", 100);
            String fileId = row.getAttribute("data-file-id");
            String objectKey = storage.objectKey(UUID.fromString(fileId));
            assertThat(UploadPage.sha256(storage.object(objectKey))).isEqualTo(UploadPage.sha256(file));
            // 16 MiB parts (the service's default): each sent once.
            assertThat(traffic.partPuts).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
            // A SHA256 upload: init names the algorithm and the first parts' digests (so their URLs come with it),
            // and complete names every part's checksum.
            assertThat(traffic.initBodies).singleElement().satisfies(body -> assertThat(body)
                    .contains("\"checksum_algorithm\":\"SHA256\"").contains("\"part_number\":1,\"checksum_sha256\":\""));
            assertThat(traffic.refreshBodies).allSatisfy(body -> assertThat(body).contains("checksum_sha256"));
            assertThat(traffic.completeBodies).singleElement().satisfies(body -> assertThat(body.split("checksum_sha256"))
                    .hasSize(6));
            assertThat(IntStream.rangeClosed(1, 5).map(n -> (int) traffic.signingsOf(n))).containsOnly(1);
            // The page's own composite of its part digests matched storage's.
            PlaywrightAssertions.assertThat(row.locator(".message")).containsText("SHA-256");
            assertThat(given().get("/api/download/" + fileId).then().statusCode(200).extract()
                    .path("object_checksum_sha256").toString()).isEqualTo(UploadPage.compositeSha256(file, 16 * MIB));

            Locator listed = page.page.locator("#files tr", new Page.LocatorOptions().setHasText("big-video.mp4"));
            PlaywrightAssertions.assertThat(listed).isVisible();
            page.screenshot("done");
            Download download = page.page.waitForDownload(() -> page.button(listed, "Download big-video.mp4").click());
            assertThat(download.suggestedFilename()).isEqualTo("big-video.mp4");
            assertThat(UploadPage.sha256(download.path())).isEqualTo(UploadPage.sha256(file));
            // Nothing the page asked for was missing. Playwright never reports favicon requests, so the icon is
            // checked itself: declared (else Chromium asks for /favicon.ico, a 404 in the console) and drawable under
            // the page's Content-Security-Policy.
            assertThat(notFound).isEmpty();
            assertThat(page.page.evaluate("async () => { const link = document.querySelector('link[rel=icon]');"
                    + " const image = new Image(); image.src = link.href; await image.decode();"
                    + " return link.href.slice(0, 19) + ' ' + image.naturalWidth; }")).isEqualTo("data:image/svg+xml, 16");
            browser.close();
        }
    }

    @Test
    void failedPartPutsAreRetriedAndAnExpiredUrlIsRenewed() throws Exception {
        Path file = UploadPage.randomFile(files, "flaky-network.bin", 27L * MIB + 5, 2);
        Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            S3Traffic.routePartPuts(browser, route -> {
                int partNumber = S3Traffic.partNumber(route.request().url());
                if (!failedOnce.add(partNumber)) {
                    route.resume();
                    return;
                }
                switch (partNumber) {
                    case 2 -> route.abort("connectionreset");
                    case 3 -> fulfillS3Error(route, 500, "InternalError", "We encountered an internal error");
                    case 5 -> fulfillS3Error(route, 403, "AccessDenied", "Request has expired");
                    default -> route.resume();
                }
            });
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root + "?part_size=" + 5 * MIB);

            page.choose(file);
            page.waitForState("flaky-network.bin", "done");

            String fileId = page.row("flaky-network.bin").getAttribute("data-file-id");
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            assertThat(IntStream.rangeClosed(1, 6).mapToObj(n -> Map.entry(n, traffic.putsOf(n))).toList())
                    .containsExactly(Map.entry(1, 1L), Map.entry(2, 2L), Map.entry(3, 2L), Map.entry(4, 1L),
                            Map.entry(5, 2L), Map.entry(6, 1L));
            // The refused URL was replaced by a freshly signed one; the others were signed once (with init).
            assertThat(traffic.signingsOf(5)).isEqualTo(2);
            assertThat(List.of(1, 2, 3, 4, 6).stream().map(traffic::signingsOf)).containsOnly(1L);
            browser.close();
        }
    }

    @Test
    void aPartStorageRefusesIsReadAndHashedAgainOnceThenTheUploadFailsWithStoragesWords() throws Exception {
        Path file = UploadPage.randomFile(files, "refused.bin", 12L * MIB + 7, 9);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            // Storage refuses part 2 every time, as AWS refuses a part whose checksum the upload was not created for.
            S3Traffic.routePartPuts(browser, route -> {
                if (S3Traffic.partNumber(route.request().url()) == 2) {
                    fulfillS3Error(route, 400, "InvalidRequest", "Checksum Type mismatch occurred, expected checksum "
                            + "Type: null, actual checksum Type: sha256");
                } else {
                    route.resume();
                }
            });
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root + "?part_size=" + 5 * MIB);

            page.choose(file);
            page.waitForState("refused.bin", "failed");

            PlaywrightAssertions.assertThat(page.row("refused.bin").locator(".message")).hasText("Part 2: Storage refused "
                    + "the part (InvalidRequest: Checksum Type mismatch occurred, expected checksum Type: null, actual "
                    + "checksum Type: sha256)");
            // Sent, then read, hashed and signed once more, sent again, then given up: no eight retries.
            assertThat(traffic.putsOf(2)).isEqualTo(2);
            assertThat(traffic.signingsOf(2)).isEqualTo(2);
            // (Init carries one round of the hashing workers' parts: on a 2-core machine part 3 is signed apart.)
            assertThat(traffic.refreshBodies).filteredOn(body -> body.contains("\"part_number\":2,")).singleElement()
                    .satisfies(body -> assertThat(body).contains("\"part_number\":2,\"checksum_sha256\":\""));
            assertThat(traffic.putsOf(1)).isEqualTo(1);
            assertThat(traffic.putsOf(3)).isEqualTo(1);
            assertThat(traffic.completeBodies).isEmpty();
            browser.close();
        }
    }

    private static void fulfillS3Error(Route route, int status, String code, String message) {
        route.fulfill(new Route.FulfillOptions().setStatus(status)
                .setHeaders(Map.of("Content-Type", "application/xml", "Access-Control-Allow-Origin", "*"))
                .setBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>"));
    }
}
