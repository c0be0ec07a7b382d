package dev.freight.browser;

import static dev.freight.browser.UploadPage.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Pause, resume, cancel and going offline, driven through the page's own controls. */
@QuarkusTest
class BrowserControlsTest {

    private static final int PART_SIZE = 5 * MIB;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @Test
    void pausesAndResumesWithoutSendingStoredPartsAgainThenCancelAbortsOnTheServer() throws Exception {
        Path file = UploadPage.randomFile(files, "paused.bin", 6L * PART_SIZE + 3, 6);
        Path other = UploadPage.randomFile(files, "cancelled.bin", 4L * PART_SIZE, 7);
        AtomicBoolean holding = new AtomicBoolean(true);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            S3Traffic.routePartPuts(browser, route -> {
                if (holding.get() && S3Traffic.partNumber(route.request().url()) > 2) {
                    return; // held: still on the wire when the user pauses
                }
                route.resume();
            });
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root + "?part_size=" + PART_SIZE);
            page.choose(file);
            Locator row = page.row("paused.bin");
            PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("2 of 7 parts stored");

            page.button(row, "Pause paused.bin").click();
            page.waitForState("paused.bin", "paused");
            PlaywrightAssertions.assertThat(row.locator(".chip")).hasCount(0);
            page.screenshot("paused");
            holding.set(false);
            int sentBeforePause = traffic.partPuts.size();

            page.button(row, "Resume paused.bin").click();
            page.waitForState("paused.bin", "done");
            List<Integer> afterResume = traffic.partPuts.subList(sentBeforePause, traffic.partPuts.size());
            assertThat(afterResume).containsExactlyInAnyOrder(3, 4, 5, 6, 7);
            String fileId = row.getAttribute("data-file-id");
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));

            holding.set(true);
            page.choose(other);
            Locator cancelled = page.row("cancelled.bin");
            PlaywrightAssertions.assertThat(cancelled.locator(".parts")).containsText("2 of 4 parts stored");
            String cancelledId = cancelled.getAttribute("data-file-id");
            page.button(cancelled, "Cancel cancelled.bin").click();
            page.waitForState("cancelled.bin", "cancelled");
            given().get("/api/upload/" + cancelledId).then().statusCode(200)
                    .body("upload_status", org.hamcrest.Matchers.equalTo("aborted"));
            browser.close();
        }
    }

    @Test
    void waitsWhileOfflineAndContinuesWhenTheNetworkIsBack() throws Exception {
        Path file = UploadPage.randomFile(files, "offline.bin", 5L * PART_SIZE + 11, 8);
        List<Route> held = new CopyOnWriteArrayList<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic.routePartPuts(browser, route -> {
                if (holding.get() && S3Traffic.partNumber(route.request().url()) > 2) {
                    held.add(route);
                    return;
                }
                route.resume();
            });
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root + "?part_size=" + PART_SIZE);
            page.choose(file);
            Locator row = page.row("offline.bin");
            PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("2 of 6 parts stored");

            browser.setOffline(true);
            PlaywrightAssertions.assertThat(page.page.locator("#network-banner")).isVisible();
            page.waitForState("offline.bin", "offline");
            page.screenshot("offline");
            holding.set(false);
            for (Route route : held) {
                route.abort("internetdisconnected");
            }

            browser.setOffline(false);
            page.waitForState("offline.bin", "done");
            PlaywrightAssertions.assertThat(page.page.locator("#network-banner")).isHidden();
            String fileId = row.getAttribute("data-file-id");
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            browser.close();
        }
    }
}
