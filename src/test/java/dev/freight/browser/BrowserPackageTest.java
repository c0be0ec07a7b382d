package dev.freight.browser;

import static dev.freight.browser.UploadPage.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The client package (@freight/client) as an app without a bundler uses it: a plain page (not Freight's,
 * {@code src/test/resources/META-INF/resources/package-e2e}) imports it from {@code /freight-client/v1/}, uploads a
 * file with its progress events, downloads it by verified parts, and resumes an upload after a browser restart.
 */
@QuarkusTest
class BrowserPackageTest {

    static final int PART_SIZE = 5 * MIB;

    @TestHTTPResource("/package-e2e/index.html")
    URL demo;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @Test
    void aPlainPageUploadsThroughThePackageWithProgressEventsAndDownloadsByVerifiedParts() throws Exception {
        Path file = UploadPage.randomFile(files, "report.bin", 6L * PART_SIZE + 4321, 11);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            // Parts 5-7 held until the page has told a rate and a time left (a local upload is over in less than
            // the half second a rate needs), then let go.
            S3Traffic.HeldParts held = S3Traffic.HeldParts.above(browser, 4);
            Page page = open(browser, PART_SIZE);
            page.setInputFiles("#file", file);
            // The rate may come before the fourth part's answer (all four are on the wire together).
            page.waitForFunction("() => window.freight.seen.maxRate > 0 && window.freight.seen.etas > 0"
                    + " && document.body.dataset.partsStored === '4'");
            assertThat(page.locator("body").getAttribute("data-parts-stored")).isEqualTo("4");
            held.release();
            PlaywrightAssertions.assertThat(page.locator("body")).hasAttribute("data-done", "true");

            String fileId = page.locator("body").getAttribute("data-file-id");
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
            assertThat(storage.itemString(fileId, "file_size")).isEqualTo(String.valueOf(6L * PART_SIZE + 4321));
            assertThat(storage.itemString(fileId, "author_name")).isEqualTo("package-e2e");
            assertThat(storage.itemString(fileId, "checksum_algorithm")).isEqualTo("SHA256");
            assertThat(traffic.partPuts).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
            assertThat(traffic.completeBodies).singleElement()
                    .satisfies(body -> assertThat(body.split("checksum_sha256")).hasSize(8));

            @SuppressWarnings("unchecked")
            Map<String, Object> seen = (Map<String, Object>) page.evaluate("() => window.freight.seen");
            assertThat((List<Object>) seen.get("states"))
                    .containsSubsequence("starting", "uploading", "completing", "verifying", "done");
            assertThat(((Number) seen.get("maxOnTheWire")).intValue()).as("parts sending at once").isGreaterThan(1);
            assertThat(((Number) seen.get("maxRate")).doubleValue()).as("bytes per second").isPositive();
            @SuppressWarnings("unchecked")
            Map<String, Object> last = (Map<String, Object>) seen.get("last");
            assertThat(((Number) last.get("bytesSent")).longValue()).isEqualTo(6L * PART_SIZE + 4321);
            assertThat(((Number) last.get("partsStored")).intValue()).isEqualTo(7);
            assertThat((List<Object>) seen.get("tokens")).contains("asked").doesNotContain("refused");
            @SuppressWarnings("unchecked")
            Map<String, Object> outcome = (Map<String, Object>) seen.get("outcome");
            assertThat(outcome.get("fileId")).isEqualTo(fileId);
            assertThat(outcome.get("checksum")).isEqualTo(UploadPage.compositeSha256(file, PART_SIZE));
            assertThat((List<Object>) outcome.get("checks")).hasSize(2);

            @SuppressWarnings("unchecked")
            Map<String, Object> download = (Map<String, Object>) page.evaluate("id => window.downloadAndHash(id)", fileId);
            assertThat(download.get("sha256")).isEqualTo(UploadPage.sha256(file));
            assertThat(((Number) download.get("partsChecked")).intValue()).isEqualTo(7);
            assertThat(download.get("checksum")).isEqualTo(UploadPage.compositeSha256(file, PART_SIZE));
            browser.close();
        }
    }

    @Test
    void anUploadResumesAfterABrowserRestartSendingOnlyTheMissingParts() throws Exception {
        Path file = UploadPage.randomFile(files, "camera-roll.zip", 8L * PART_SIZE + 99, 12);
        try (Chromium chromium = new Chromium()) {
            BrowserContext first = chromium.launch();
            S3Traffic.HeldParts held = S3Traffic.HeldParts.above(first, 3); // still on the wire at the close
            Page page = open(first, PART_SIZE);
            page.setInputFiles("#file", file);
            PlaywrightAssertions.assertThat(page.locator("body")).hasAttribute("data-parts-stored", "3");
            String fileId = page.locator("body").getAttribute("data-file-id");
            held.fail();
            first.close();
            assertThat(BrowserResumeTest.storedParts(fileId)).containsExactly(1, 2, 3);

            BrowserContext second = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(second);
            Page again = open(second, null);
            PlaywrightAssertions.assertThat(again.locator("body")).hasAttribute("data-restored", "1");
            PlaywrightAssertions.assertThat(again.locator("body")).hasAttribute("data-state", "waiting-file");
            assertThat(again.locator("body").getAttribute("data-file-id")).isEqualTo(fileId);
            again.setInputFiles("#file", file);
            PlaywrightAssertions.assertThat(again.locator("body")).hasAttribute("data-done", "true");
            assertThat(traffic.partPuts).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(4, 9).boxed().toList());
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
            second.close();
        }
    }

    private Page open(BrowserContext browser, Integer partSize) {
        Page page = browser.pages().get(0);
        page.navigate(demo + (partSize == null ? "" : "?part_size=" + partSize));
        PlaywrightAssertions.assertThat(page.locator("body")).hasAttribute("data-ready", "true");
        return page;
    }
}
