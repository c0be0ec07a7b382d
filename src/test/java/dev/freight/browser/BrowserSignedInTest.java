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
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.freight.security.AuthEnabledProfile;
import dev.freight.security.Tokens;
import dev.freight.support.StorageInspector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The page with authentication on, signed in by a host app that keeps the token in
 * {@code sessionStorage["freight.accessToken"]}: a token that expires mid-upload is asked for again and the upload
 * goes on; an init whose answer is lost is sent again with the same Idempotency-Key and starts no second upload.
 */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class BrowserSignedInTest {

    private static final int PART_SIZE = 5 * MIB;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path files;

    @Test
    void aTokenThatExpiresMidUploadIsRenewedByTheHostAppAndTheUploadFinishes() throws Exception {
        String owner = "expiring-" + UUID.randomUUID();
        String fresh = Tokens.valid(owner, "Expiring");
        String expired = Tokens.expired(owner);
        Path file = UploadPage.randomFile(files, "long-flight.bin", 8L * PART_SIZE + 321, 11);
        List<Route> held = new CopyOnWriteArrayList<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            List<Integer> apiStatuses = new CopyOnWriteArrayList<>();
            List<String> authorizationsAfterRefusal = new CopyOnWriteArrayList<>();
            AtomicBoolean refused = new AtomicBoolean();
            browser.onResponse(response -> {
                if (response.url().contains("/api/")) {
                    apiStatuses.add(response.status());
                    if (response.status() == 401) {
                        refused.set(true);
                    } else if (refused.get()) {
                        authorizationsAfterRefusal.add(response.request().headers().get("authorization"));
                    }
                }
            });
            S3Traffic.routePartPuts(browser, route -> {
                if (holding.get() && S3Traffic.partNumber(route.request().url()) > 2) {
                    held.add(route); // on the wire while the token expires
                    return;
                }
                route.resume();
            });
            Page tab = browser.pages().get(0);
            // The host app: signs the user in, and stores a fresh token when the page says the old one was refused.
            tab.addInitScript("sessionStorage.setItem('freight.accessToken', '" + Tokens.valid(owner, "Expiring") + "');"
                    + "window.refusals = 0;"
                    + "window.addEventListener('freight:token-refused', () => { window.refusals++;"
                    + " sessionStorage.setItem('freight.accessToken', '" + fresh + "'); });");
            UploadPage page = new UploadPage(tab).open(root + "?part_size=" + PART_SIZE);
            page.choose(file);
            Locator row = page.row("long-flight.bin");
            PlaywrightAssertions.assertThat(row.locator(".parts")).containsText("2 of 9 parts stored");
            String fileId = row.getAttribute("data-file-id");

            // The token the page holds runs out: what the host app's session has now is expired.
            tab.evaluate("token => sessionStorage.setItem('freight.accessToken', token)", expired);
            holding.set(false);
            for (Route route : held) {
                resume(route);
            }
            page.waitForState("long-flight.bin", "done");

            assertThat(apiStatuses).as("the service refused the expired token").contains(401);
            assertThat(tab.evaluate("window.refusals")).isEqualTo(1);
            assertThat(authorizationsAfterRefusal).contains("Bearer " + fresh).doesNotContain("Bearer " + expired);
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));
            JsonPath status = given().header("Authorization", "Bearer " + fresh).get("/api/upload/" + fileId).then()
                    .statusCode(200).extract().jsonPath();
            assertThat(status.getString("upload_status")).isEqualTo("uploaded");
            assertThat(status.getString("object_checksum_sha256")).isEqualTo(UploadPage.compositeSha256(file, PART_SIZE));
            browser.close();
        }
    }

    @Test
    void anInitWhoseAnswerIsLostIsSentAgainWithTheSameKeyAndStartsOneUploadOnly() throws Exception {
        String owner = "lost-answer-" + UUID.randomUUID();
        String token = Tokens.valid(owner, "Lost Answer");
        Path file = UploadPage.randomFile(files, "lost-answer.bin", 3L * PART_SIZE + 77, 12);
        AtomicInteger inits = new AtomicInteger();
        List<String> keys = new CopyOnWriteArrayList<>();
        List<String> droppedAnswers = new CopyOnWriteArrayList<>();
        try (Chromium chromium = new Chromium()) {
            BrowserContext browser = chromium.launch();
            // The first init reaches the service, which starts the upload; its answer never reaches the page.
            browser.route("**/api/upload/init", route -> {
                keys.add(route.request().headers().get("idempotency-key"));
                if (inits.incrementAndGet() == 1) {
                    droppedAnswers.add(route.fetch().text());
                    route.abort("connectionreset");
                } else {
                    route.resume();
                }
            });
            Page tab = browser.pages().get(0);
            tab.addInitScript("sessionStorage.setItem('freight.accessToken', '" + token + "');");
            UploadPage page = new UploadPage(tab).open(root + "?part_size=" + PART_SIZE);
            page.choose(file);
            page.waitForState("lost-answer.bin", "done");
            String fileId = page.row("lost-answer.bin").getAttribute("data-file-id");

            assertThat(inits).hasValue(2);
            assertThat(keys).hasSize(2).doesNotContainNull().containsOnly(keys.get(0));
            assertThat(droppedAnswers).singleElement().satisfies(answer -> assertThat(answer).contains(fileId));
            // The owner's uploads under the author name the page sends (without one the listing takes the token's).
            String author = tab.locator("#author-name").inputValue();
            JsonPath listing = given().header("Authorization", "Bearer " + token).queryParam("author_name", author)
                    .get("/api/upload").then().statusCode(200).extract().jsonPath();
            assertThat(listing.getList("uploads.file_id", String.class)).containsExactly(fileId);
            assertThat(listing.getList("uploads.upload_status", String.class)).containsExactly("uploaded");
            assertThat(UploadPage.sha256(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                    .isEqualTo(UploadPage.sha256(file));

            // No ghost "Unfinished" row when the page comes back.
            UploadPage reopened = page.open(root.toString());
            PlaywrightAssertions.assertThat(reopened.page.locator("li.upload[data-state=waiting-file]")).hasCount(0);
            browser.close();
        }
    }

    private static void resume(Route route) {
        try {
            route.resume();
        } catch (PlaywrightException gone) {
            // the page gave the request up itself
        }
    }
}
