package dev.freight.security;

import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.freight.support.StorageInspector;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Every /api call without a valid bearer token answers 401 problem+json and changes nothing. */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class AuthenticationTest {

    private static final String SOME_ID = "00000000-0000-4000-8000-000000000000";

    @Inject
    StorageInspector storage;

    static Stream<Arguments> badCredentials() {
        return Stream.of(
                Arguments.of("no Authorization header", null),
                Arguments.of("expired token", "Bearer " + Tokens.expired("alice")),
                Arguments.of("token signed by another key", "Bearer " + Tokens.signedByAnotherKey("alice")),
                Arguments.of("token from another issuer", "Bearer " + Tokens.fromAnotherIssuer("alice")),
                Arguments.of("token without subject", "Bearer " + Tokens.withoutSubject()),
                Arguments.of("token for another audience", "Bearer " + Tokens.forAnotherAudience("alice")),
                Arguments.of("token without audience", "Bearer " + Tokens.withoutAudience("alice")),
                Arguments.of("not a JWT", "Bearer not-a-jwt"),
                Arguments.of("tampered payload", "Bearer " + tampered(Tokens.valid("alice", "Alice"))),
                Arguments.of("basic credentials", "Basic YWxpY2U6c2VjcmV0"));
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("POST", "/api/upload/init", "{\"filename\":\"a\",\"file_type\":\"a/b\",\"file_size\":1,\"author_name\":\"A\"}"),
                Arguments.of("POST", "/api/upload/refresh_urls", "{\"file_id\":\"" + SOME_ID + "\"}"),
                Arguments.of("GET", "/api/upload/" + SOME_ID, null),
                Arguments.of("POST", "/api/upload/complete", "{\"file_id\":\"" + SOME_ID + "\",\"parts\":[{\"part_number\":1,\"etag\":\"x\"}]}"),
                Arguments.of("POST", "/api/upload/abort", "{\"file_id\":\"" + SOME_ID + "\"}"),
                Arguments.of("GET", "/api/upload?author_name=Alice", null),
                Arguments.of("GET", "/api/download/" + SOME_ID, null));
    }

    static Stream<Arguments> everyEndpointWithEveryBadCredential() {
        return endpoints().flatMap(endpoint -> badCredentials().map(credential -> Arguments.of(
                endpoint.get()[0], endpoint.get()[1], endpoint.get()[2], credential.get()[0], credential.get()[1])));
    }

    @ParameterizedTest(name = "{0} {1} with {3}")
    @MethodSource("everyEndpointWithEveryBadCredential")
    void answers401(String method, String path, String body, String description, String authorization) {
        long items = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();
        RequestSpecification request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.contentType("application/json").body(body);
        }
        Response response = request.request(method, path);

        assertThat(response.statusCode()).as(description).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(401);
        assertThat(response.asString()).doesNotContain("eyJ");
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void validTokenWorksAndItsSubjectOwnsTheUpload() {
        Map<String, Object> body = initBody("a.bin", 10, null);
        body.remove("author_name");
        String fileId = given().header("Authorization", "Bearer " + Tokens.valid("alice-subject", "Alice Liddell"))
                .contentType("application/json").body(body).post("/api/upload/init")
                .then().statusCode(201).extract().jsonPath().getString("file_id");

        assertThat(storage.itemString(fileId, "owner")).isEqualTo("alice-subject");
        assertThat(storage.itemString(fileId, "author_name")).isEqualTo("Alice Liddell");
    }

    @org.junit.jupiter.api.Test
    void aTokenAcceptedBeforeDoesNotVouchForTheSameClaimsWithAnotherSignature() {
        String valid = Tokens.valid("alice", "Alice");
        String[] parts = valid.split("\\.");
        String otherSignature = Tokens.signedByAnotherKey("alice").split("\\.")[2];
        given().header("Authorization", "Bearer " + valid).get("/api/upload/" + SOME_ID).then().statusCode(404);

        given().header("Authorization", "Bearer " + parts[0] + "." + parts[1] + "." + otherSignature)
                .get("/api/upload/" + SOME_ID).then().statusCode(401);
        given().header("Authorization", "Bearer " + tampered(valid)).get("/api/upload/" + SOME_ID).then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + valid).get("/api/upload/" + SOME_ID).then().statusCode(404);
    }

    /** Changes the payload's subject without re-signing. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"alice\"", "\"mallory\"");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
    }
}
