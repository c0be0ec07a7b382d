package dev.freight.browser;

import static dev.freight.browser.BrowserResumeTest.PARTS;
import static dev.freight.browser.BrowserResumeTest.PART_SIZE;
import static dev.freight.browser.BrowserResumeTest.SENT_BEFORE_CLOSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.client.FileSource;
import dev.freight.client.FileStateStore;
import dev.freight.client.FreightClient;
import dev.freight.client.FreightException;
import dev.freight.client.HttpRequest;
import dev.freight.client.HttpResponse;
import dev.freight.client.HttpTransport;
import dev.freight.client.OkHttpTransport;
import dev.freight.client.RetryPolicy;
import dev.freight.client.UploadOptions;
import dev.freight.client.UploadResult;
import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The page and the Java client resume each other's uploads (same part plan, same fingerprint and metadata keys,
 * held equal by src/test/vectors): each one stops after three of nine parts, the other finds the upload through the
 * API alone (no local state), sends only the six parts storage lacks, and storage ends with the file's exact bytes.
 */
@QuarkusTest
class CrossClientResumeTest {

    /** The page's default author name: it lists the unfinished uploads under it. */
    private static final String PAGE_AUTHOR = "me";

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @Test
    void theJavaClientFinishesAnUploadTheBrowserStarted() throws Exception {
        Path file = UploadPage.randomFile(files, "from-the-browser.mov", 8L * PART_SIZE + 321, 11);
        String fileId;
        try (Chromium chromium = new Chromium()) {
            fileId = BrowserResumeTest.startAndCloseMidUpload(chromium, root.toString(), file);
        }
        assertThat(BrowserResumeTest.storedParts(fileId)).containsExactly(1, 2, 3);

        PartPuts puts = new PartPuts(SENT_BEFORE_CLOSING);
        puts.failFrom = Integer.MAX_VALUE;
        UploadResult result = client(puts, "java-state").resume(new FileSource(file.toFile()),
                UploadOptions.defaults().authorName(PAGE_AUTHOR));

        assertThat(result.fileId()).isEqualTo(fileId);
        assertThat(result.upload().uploadStatus()).isEqualTo("uploaded");
        assertThat(puts.sent).containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(SENT_BEFORE_CLOSING + 1, PARTS).boxed().toList());
        assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                .isEqualTo(UploadPage.sha256(file));
        assertThat(result.upload().objectChecksumSha256()).isEqualTo(UploadPage.compositeSha256(file, PART_SIZE));
    }

    @Test
    void theBrowserFinishesAnUploadTheJavaClientStarted() throws Exception {
        Path file = UploadPage.randomFile(files, "from-java.mov", 8L * PART_SIZE + 654, 12);
        // One part at a time: parts 1-3 reach storage, then every PUT fails and the upload stops, resumable.
        PartPuts puts = new PartPuts(SENT_BEFORE_CLOSING);
        FreightClient java = client(puts, "java-state");
        assertThatThrownBy(() -> java.upload(new FileSource(file.toFile()),
                UploadOptions.defaults().partSize(PART_SIZE).parallelism(1).authorName(PAGE_AUTHOR)))
                .isInstanceOfSatisfying(FreightException.class, stopped -> assertThat(stopped.resumable()).isTrue());
        String fileId = java.list(PAGE_AUTHOR, "uploading", 10, null).uploads().get(0).fileId();
        assertThat(BrowserResumeTest.storedParts(fileId)).containsExactly(1, 2, 3);

        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            S3Traffic traffic = S3Traffic.recordOn(browser);
            UploadPage page = new UploadPage(browser.pages().get(0)).open(root.toString());
            Locator row = page.row("from-java.mov");
            page.waitForState("from-java.mov", "waiting-file");
            PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("3 of 9 parts stored");

            BrowserResumeTest.chooseForResume(page, row, file);
            page.waitForState("from-java.mov", "done");
            assertThat(row.getAttribute("data-file-id")).isEqualTo(fileId);
            assertThat(traffic.partPuts).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(SENT_BEFORE_CLOSING + 1, PARTS).boxed().toList());
            browser.close();
        }
        assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                .isEqualTo(UploadPage.sha256(file));
    }

    private FreightClient client(HttpTransport transport, String stateDir) {
        return FreightClient.builder(root.toString()).transport(transport)
                .stateStore(new FileStateStore(files.resolve(stateDir).toFile()))
                .retryPolicy(new RetryPolicy(2, 10, 20)).build();
    }

    /** Records the part numbers the Java client PUTs; from the {@code failFrom}-th PUT on, the network fails. */
    private static final class PartPuts implements HttpTransport {
        private final HttpTransport inner = new OkHttpTransport();
        final List<Integer> sent = new CopyOnWriteArrayList<>();
        volatile int failFrom;

        PartPuts(int letThrough) {
            this.failFrom = letThrough + 1;
        }

        @Override
        public HttpResponse execute(HttpRequest request) throws IOException {
            if (request.method().equals("PUT") && !request.url().contains("/api/")) {
                if (sent.size() + 1 >= failFrom) {
                    throw new IOException("the network is gone");
                }
                sent.add(S3Traffic.partNumber(request.url()));
            }
            return inner.execute(request);
        }
    }
}
