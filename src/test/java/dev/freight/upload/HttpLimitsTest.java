package dev.freight.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Refusals of the HTTP layer answer problem+json like every other error. */
@QuarkusTest
class HttpLimitsTest {

    /** quarkus.http.limits.max-body-size: the one limit, for declared and chunked bodies alike. */
    private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    @Test
    void overlongUrisAnswer414Problems() {
        for (Response answer : new Response[] {
                given().urlEncodingEnabled(false).get("/api/upload?author_name=" + "a".repeat(9000)),
                given().urlEncodingEnabled(false).get("/api/upload/" + "b".repeat(20_000)),
                given().urlEncodingEnabled(false).contentType("application/json").body("{}")
                        .post("/api/upload/init?x=" + "c".repeat(40_000)) }) {
            assertThat(answer.statusCode()).isEqualTo(414);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getString("type")).endsWith("uri-too-long");
            assertThat(answer.jsonPath().getInt("status")).isEqualTo(414);
        }
        // Just under the limit is an ordinary answer.
        given().urlEncodingEnabled(false).get("/api/upload?limit=5&x=" + "d".repeat(8000)).then().statusCode(200);
    }

    @Test
    void oneBodyLimitForDeclaredAndChunkedBodies() throws Exception {
        // HTTP/1.1: chunked transfer coding is what a body without a declared length is there.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String route : new String[] { "/api/upload/init", "/api/upload/refresh_urls", "/api/upload/complete" }) {
            for (boolean chunked : new boolean[] { false, true }) {
                // Over the limit by a little: 413 problem+json, whether the length is declared or not.
                HttpResponse<String> over = send(http, route, body(MAX_BODY_BYTES + 1000), chunked);
                assertThat(over.statusCode()).as(route + (chunked ? " chunked" : " declared")).isEqualTo(413);
                assertThat(over.headers().firstValue("Content-Type").orElse("")).as(route + " chunked " + chunked)
                        .startsWith("application/problem+json");
                assertThat(over.body()).as(route).contains("payload-too-large").contains("\"status\":413");
                // At the limit: read and judged (a 400 for its content, not a 413).
                HttpResponse<String> at = send(http, route, body(MAX_BODY_BYTES), chunked);
                assertThat(at.statusCode()).as(route + (chunked ? " chunked" : " declared") + " at the limit")
                        .isEqualTo(400);
            }
        }
    }

    /** A JSON body of exactly {@code bytes} bytes: one long string value that no rule accepts. */
    private static byte[] body(int bytes) {
        String head = "{\"file_id\":\"";
        return (head + "x".repeat(bytes - head.length() - 2) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    private HttpResponse<String> send(HttpClient http, String route, byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return http.send(HttpRequest.newBuilder(URI.create(base + route.substring(1)))
                .header("Content-Type", "application/json").POST(publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
