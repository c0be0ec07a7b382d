package dev.freight.browser;

import static dev.freight.browser.UploadPage.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.support.S3Delays;
import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Storage assembling the file for longer than a complete call waits: the page gets 202 {@code completing}, shows
 * it, polls the status instead of sending complete again, and ends with the verified file.
 */
@QuarkusTest
@TestProfile(BrowserLongCompleteTest.ShortWait.class)
class BrowserLongCompleteTest {

    /** A complete call waits one second for storage (as in LongCompleteTest). */
    public static class ShortWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freight.upload.complete-wait", "1S");
        }
    }

    private static final int PART_SIZE = 5 * MIB;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @AfterEach
    void storageAtFullSpeed() {
        S3Delays.delayCompletes(Duration.ZERO);
    }

    @Test
    void aCompleteAnsweredCompletingIsPolledUntilTheFileIsUploaded() throws Exception {
        Path file = UploadPage.randomFile(files, "slow-assembly.bin", 2L * PART_SIZE + 9, 13);
        S3Delays.delayCompletes(Duration.ofSeconds(4));
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            List<Integer> completeStatuses = new CopyOnWriteArrayList<>();
            browser.onResponse(response -> {
                if (response.url().endsWith("/api/upload/complete")) {
                    completeStatuses.add(response.status());
                }
            });
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root + "?part_size=" + PART_SIZE);
            page.choose(file);
            page.waitForState("slow-assembly.bin", "completing");
            page.waitForState("slow-assembly.bin", "done");

            assertThat(completeStatuses).containsExactly(202);
            assertThat(traffic.completeBodies).hasSize(1);
            PlaywrightAssertions.assertThat(page.row("slow-assembly.bin").locator(".message")).containsText("SHA-256");
            String fileId = page.row("slow-assembly.bin").getAttribute("data-file-id");
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            browser.close();
        }
    }
}
