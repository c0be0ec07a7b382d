package dev.freight.security;

import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.freight.support.StorageInspector;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The token's {@code name} claim stands in for {@code author_name} only when it keeps a body's rules: a claim that
 * breaks one is refused (400, nothing stored) where it would be used, and a body's own author_name still works.
 */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class NameClaimTest {

    @Inject
    StorageInspector storage;

    @ParameterizedTest
    @ValueSource(strings = { "overlong", "bidi\u202Eoverride", "control\u0007character",
            "non\uFFFEcharacter" })
    void aNameClaimBreakingTheAuthorRulesIsRefusedWhereItWouldBeUsed(String name) {
        String claim = name.equals("overlong") ? "n".repeat(129) : name;
        String token = "Bearer " + Tokens.valid("claims-" + UUID.randomUUID(), claim);
        Map<String, Object> body = initBody("claim.bin", 10, null);
        body.remove("author_name");
        long items = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();

        Response refused = given().header("Authorization", token).contentType("application/json").body(body)
                .post("/api/upload/init");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("errors[0].field")).isEqualTo("author_name");
        assertThat(refused.jsonPath().getString("errors[0].message")).startsWith("must be given: the token's name");
        assertThat(refused.asString()).doesNotContain(claim);
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
        // The listing's default filter is the name too: refused alike, fine with an author named.
        given().header("Authorization", token).get("/api/upload").then().statusCode(400);
        given().header("Authorization", token).queryParam("author_name", "Ada").get("/api/upload").then()
                .statusCode(200);

        // Naming the author in the body does not need the claim.
        body.put("author_name", "Ada");
        String fileId = given().header("Authorization", token).contentType("application/json").body(body)
                .post("/api/upload/init").then().statusCode(201).extract().jsonPath().getString("file_id");
        assertThat(storage.itemString(fileId, "author_name")).isEqualTo("Ada");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Ada Lovelace", "家族 👩‍👩‍👧", "a" })
    void aGoodNameClaimIsTheDefaultAuthor(String name) {
        String claim = name.equals("a") ? "\u00e9".repeat(128) : name;
        Map<String, Object> body = initBody("claim.bin", 10, null);
        body.remove("author_name");
        String fileId = given().header("Authorization", "Bearer " + Tokens.valid("claims-" + UUID.randomUUID(), claim))
                .contentType("application/json").body(body).post("/api/upload/init").then().statusCode(201)
                .extract().jsonPath().getString("file_id");
        assertThat(storage.itemString(fileId, "author_name")).isEqualTo(claim);
    }
}
