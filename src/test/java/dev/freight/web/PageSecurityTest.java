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
        for (String path : new String[] { "/", "/index.html" }) {
            Response page = given().get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            String policy = page.header("Content-Security-Policy");
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
