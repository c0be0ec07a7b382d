package dev.freight.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Refusals of the HTTP layer answer problem+json like every other error. */
@QuarkusTest
class HttpLimitsTest {

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
}
