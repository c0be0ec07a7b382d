package dev.freight.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Many owners under one author name: every caller's pages hold only its own uploads, pages are full, paging is
 * complete, and a next_token is good only for the caller and the listing that received it.
 */
@QuarkusTest
@TestProfile(OwnerLimitsProfile.class)
class OwnerListingTest {

    @Test
    void everyPageHoldsOnlyTheCallersOwnUploadsAndIsFull() throws InterruptedException {
        String shared = "shared-" + UUID.randomUUID();
        String alice = "Bearer " + Tokens.valid("alice-" + UUID.randomUUID(), "Alice");
        String bob = "Bearer " + Tokens.valid("bob-" + UUID.randomUUID(), shared);
        List<String> alices = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            alices.add(0, init(alice, "alice" + index + ".bin", shared));
            init(alice, "alice-other" + index + ".bin", "someone else");
        }
        // 25 newer uploads by another owner under the same author name.
        List<String> bobs = new ArrayList<>();
        for (int index = 0; index < 25; index++) {
            bobs.add(0, init(bob, "bob" + index + ".bin", shared));
        }

        JsonPath first = list(alice, Map.of("author_name", shared, "limit", 1)).then().statusCode(200).extract()
                .jsonPath();
        assertThat(first.getList("uploads.file_id", String.class)).containsExactly(alices.get(0));

        // Complete paging, one and two at a time: exactly Alice's, newest first, every page full but the last.
        for (int limit : new int[] { 1, 2 }) {
            List<String> seen = new ArrayList<>();
            String token = null;
            List<Integer> sizes = new ArrayList<>();
            do {
                Map<String, Object> query = new HashMap<>(Map.of("author_name", shared, "limit", limit));
                if (token != null) {
                    query.put("next_token", token);
                }
                JsonPath page = list(alice, query).then().statusCode(200).extract().jsonPath();
                List<String> ids = page.getList("uploads.file_id", String.class);
                sizes.add(ids.size());
                seen.addAll(ids);
                token = page.getString("next_token");
            } while (token != null);
            assertThat(seen).as("limit " + limit).containsExactlyElementsOf(alices);
            assertThat(sizes.subList(0, sizes.size() - 1)).allMatch(size -> size == limit);
        }

        // Bob's listing by the same name holds only Bob's; by default (no author_name) his token's name narrows it.
        JsonPath bobsPage = list(bob, Map.of("author_name", shared, "limit", 100)).then().statusCode(200).extract()
                .jsonPath();
        assertThat(bobsPage.getList("uploads.file_id", String.class)).containsExactlyElementsOf(bobs);
        assertThat(list(bob, Map.of("limit", 100)).then().statusCode(200).extract().jsonPath()
                .getList("uploads.file_id", String.class)).containsExactlyElementsOf(bobs);

        // Without author_name Alice's token name (Alice) narrows the listing: her uploads name other authors.
        assertThat(list(alice, Map.of("limit", 100)).then().statusCode(200).extract().jsonPath().getList("uploads"))
                .isEmpty();
        JsonPath uploading = list(alice, Map.of("author_name", shared, "upload_status", "uploading", "limit", 100))
                .then().statusCode(200).extract().jsonPath();
        assertThat(uploading.getList("uploads.file_id", String.class)).containsExactlyElementsOf(alices);
        assertThat(uploading.getString("next_token")).isNull();
    }

    @Test
    void aNextTokenReplayedByAnotherOwnerTamperedOrTruncatedAnswers400AndRevealsNothing() {
        String shared = "shared-" + UUID.randomUUID();
        String owner = "carol-" + UUID.randomUUID();
        String carol = "Bearer " + Tokens.valid(owner, "Carol");
        String dave = "Bearer " + Tokens.valid("dave-" + UUID.randomUUID(), "Dave");
        List<String> carols = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            carols.add(init(carol, "carol" + index + ".bin", shared));
        }
        init(dave, "dave.bin", shared);
        String token = list(carol, Map.of("author_name", shared, "limit", 1)).then().statusCode(200).extract()
                .jsonPath().getString("next_token");
        assertThat(token).isNotBlank().doesNotContain(owner);

        char last = token.charAt(token.length() - 1);
        Map<String, Response> answers = Map.of(
                "replayed by another owner", list(dave, Map.of("author_name", shared, "limit", 1, "next_token", token)),
                "tampered", list(carol, Map.of("author_name", shared, "limit", 1, "next_token",
                        token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'))),
                "truncated", list(carol, Map.of("author_name", shared, "limit", 1, "next_token",
                        token.substring(0, token.length() - 4))),
                "made up", list(carol, Map.of("author_name", shared, "next_token", "v1.abc.def")),
                "for another listing", list(carol, Map.of("author_name", "someone", "next_token", token)));
        answers.forEach((what, answer) -> {
            assertThat(answer.statusCode()).as(what).isEqualTo(400);
            assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getString("errors[0].field")).as(what).isEqualTo("next_token");
            assertThat(answer.asString()).as(what).doesNotContain(owner).doesNotContain(
                    carols.toArray(String[]::new));
        });
        // The genuine token still works for its owner.
        assertThat(list(carol, Map.of("author_name", shared, "limit", 1, "next_token", token)).then().statusCode(200)
                .extract().jsonPath().getList("uploads.file_id", String.class)).containsExactly(carols.get(1));
    }

    private static String init(String authorization, String filename, String authorName) {
        return given().header("Authorization", authorization).contentType("application/json")
                .body(Map.of("filename", filename, "file_type", "application/octet-stream", "file_size", 100,
                        "author_name", authorName))
                .post("/api/upload/init").then().statusCode(201).extract().jsonPath().getString("file_id");
    }

    private static Response list(String authorization, Map<String, ?> query) {
        return given().header("Authorization", authorization).queryParams(query).get("/api/upload");
    }
}
