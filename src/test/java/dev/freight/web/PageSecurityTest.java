package dev.freight.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The page answers with a Content-Security-Policy that allows its own scripts and the storage origin, nothing else. */
@QuarkusTest
class PageSecurityTest {

    @ConfigProperty(name = "quarkus.s3.endpoint-override")
    URI s3Endpoint;

    @Test
    void thePageForbidsInlineScriptAndCallsAnywhereButTheApiAndStorage() {
        // Every spelling the static handler serves the page for (it normalises the path) carries the headers.
        for (String path : new String[] { "/", "/index.html", "/%69ndex.html", "/index%2Ehtml", "/./index.html",
                "//index.html", "/index.html?x", "/%2e/index.html", "/a/../index.html", "/INDEX.html?x=1#y" }) {
            Response page = given().urlEncodingEnabled(false).get(path);
            if (path.startsWith("/INDEX")) {
                // Not the page on a case-sensitive path: whatever answers, no HTML without the headers.
                assertThat(page.statusCode()).as(path).isEqualTo(404);
                if (page.contentType().startsWith("text/html")) {
                    assertThat(page.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
                }
                continue;
            }
            assertThat(page.statusCode()).isEqualTo(200);
            String policy = page.header("Content-Security-Policy");
            assertThat(page.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(page.contentType()).as(path).startsWith("text/html");
            assertThat(policy).as(path).contains("default-src 'none'", "script-src 'self'", "object-src 'none'",
                    "frame-ancestors 'none'", "base-uri 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "*");
            String connect = Pattern.compile("connect-src ([^;]*)").matcher(policy).results().findFirst()
                    .orElseThrow().group(1);
            assertThat(connect.split(" ")).containsExactlyInAnyOrder("'self'",
                    s3Endpoint.getScheme() + "://" + s3Endpoint.getRawAuthority());
            // The page itself has no inline script the policy would block.
            assertThat(page.asString()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContainPattern("\\son[a-z]+=");
        }
        // API answers are not pages: no policy header needed there.
        assertThat(given().get("/api/upload").header("Content-Security-Policy")).isNull();
    }
}
