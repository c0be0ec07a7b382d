package dev.freight.browser;

import static dev.freight.browser.UploadPage.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Closing the browser mid-upload and coming back: the unfinished upload is listed, resuming refuses another file,
 * and with the same file only the parts storage lacks are sent.
 */
@QuarkusTest
class BrowserResumeTest {

    static final int PART_SIZE = 5 * MIB;
    static final int PARTS = 9;
    static final int SENT_BEFORE_CLOSING = 3;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @Test
    void resumesAfterABrowserRestartSendingOnlyTheMissingPartsAndRefusesAnotherFile() throws Exception {
        Path file = UploadPage.randomFile(files, "holiday.mov", 8L * PART_SIZE + 777, 3);
        // Same name, size and modification time; other content: only the fingerprint tells them apart.
        Path impostor = UploadPage.randomFile(files.resolve("other"), "holiday.mov", Files.size(file), 4);
        Files.setLastModifiedTime(impostor, Files.getLastModifiedTime(file));

        try (Chromium chromium = new Chromium()) {
            String fileId = startAndCloseMidUpload(chromium, file);
            assertThat(storedParts(fileId)).containsExactly(1, 2, 3);

            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root.toString());
            Locator row = page.row("holiday.mov");
            page.waitForState("holiday.mov", "waiting-file");
            PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("3 of 9 parts stored");
            PlaywrightAssertions.assertThat(row.locator(".figures")).containsText("15.0 MiB of 40.0 MiB · 37%");
            page.screenshot("unfinished");

            chooseForResume(page, row, impostor);
            PlaywrightAssertions.assertThat(row.locator(".message"))
                    .containsText("not the file this upload started with: its content differs");
            assertThat(row.getAttribute("data-state")).isEqualTo("waiting-file");
            page.screenshot("refused");
            assertThat(traffic.partPuts).isEmpty();

            chooseForResume(page, row, file);
            page.waitForState("holiday.mov", "done");
            assertThat(traffic.partPuts).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(SENT_BEFORE_CLOSING + 1, PARTS).boxed().toList());
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            browser.close();

            // Finished uploads leave no local record behind.
            BrowserContext again = chromium.launch();
            UploadPage reopened = new UploadPage(again.pages().get(0)).open(root.toString());
            PlaywrightAssertions.assertThat(reopened.row("holiday.mov")).hasCount(0);
            again.close();
        }
    }

    @Test
    void findsUnfinishedUploadsThroughTheApiWhenLocalStateIsGone() throws Exception {
        Path file = UploadPage.randomFile(files, "lost-state.iso", 8L * PART_SIZE + 99, 5);
        String fileId;
        try (Chromium first = new Chromium()) {
            fileId = startAndCloseMidUpload(first, file);
        }
        try (Chromium fresh = new Chromium()) {
            BrowserContext browser = fresh.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root.toString());
            Locator row = page.row("lost-state.iso");
            page.waitForState("lost-state.iso", "waiting-file");
            PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("3 of 9 parts stored");

            chooseForResume(page, row, file);
            page.waitForState("lost-state.iso", "done");
            assertThat(traffic.partPuts).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(SENT_BEFORE_CLOSING + 1, PARTS).boxed().toList());
            assertThat(row.getAttribute("data-file-id")).isEqualTo(fileId);
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            browser.close();
        }
    }

    private String startAndCloseMidUpload(Chromium chromium, Path file) throws Exception {
        return startAndCloseMidUpload(chromium, root.toString(), file);
    }

    /**
     * Starts {@code file} (nine 5 MiB parts) on the page at {@code root}, lets parts 1-3 through, holds every other
     * part PUT, and closes the browser once 3 parts are stored. Answers the upload's file id.
     */
    static String startAndCloseMidUpload(Chromium chromium, String root, Path file) throws Exception {
        BrowserContext browser = chromium.launch();
        // Not answered: the parts are still on the wire when the browser closes.
        S3Traffic.HeldParts held = S3Traffic.HeldParts.above(browser, SENT_BEFORE_CLOSING);
        UploadPage page = new UploadPage(browser.pages().get(0)).open(root + "?part_size=" + PART_SIZE);
        String name = file.getFileName().toString();
        page.choose(file);
        Locator row = page.row(name);
        PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("3 of 9 parts stored");
        PlaywrightAssertions.assertThat(row.locator(".chip")).hasCount(6);
        page.screenshot("uploading-" + name);
        String fileId = row.getAttribute("data-file-id");
        held.fail();
        browser.close();
        return fileId;
    }

    static void chooseForResume(UploadPage page, Locator row, Path file) {
        FileChooser chooser = page.page.waitForFileChooser(
                () -> page.button(row, "Choose the file to resume " + row.locator(".upload-name").textContent()).click());
        chooser.setFiles(file);
    }

    static List<Integer> storedParts(String fileId) {
        return given().get("/api/upload/" + fileId).then().statusCode(200).extract().jsonPath()
                .getList("uploaded_parts.part_number", Integer.class);
    }
}
