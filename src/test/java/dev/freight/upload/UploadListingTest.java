package dev.freight.upload;

import static dev.freight.support.FreightApi.abort;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** An author's uploads come newest first, a page at a time, optionally filtered by status. */
@QuarkusTest
class UploadListingTest {

    @Test
    void listsOneAuthorsUploadsNewestFirstInPages() throws InterruptedException {
        String author = "author-" + UUID.randomUUID();
        List<String> fileIds = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            Map<String, Object> body = initBody("file" + index + ".bin", 100, null);
            body.put("author_name", author);
            fileIds.add(init(body).getString("file_id"));
            Thread.sleep(5); // distinct initiated_at, which orders the index
        }
        Map<String, Object> other = initBody("other.bin", 100, null);
        other.put("author_name", author + "-other");
        init(other);

        JsonPath first = given().queryParam("author_name", author).queryParam("limit", 2).get("/api/upload")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("uploads.file_id", String.class)).containsExactly(fileIds.get(2), fileIds.get(1));
        assertThat(first.getString("uploads[0].filename")).isEqualTo("file2.bin");
        assertThat(first.getString("uploads[0].upload_status")).isEqualTo("uploading");
        String token = first.getString("next_token");
        assertThat(token).isNotBlank();

        JsonPath second = given().queryParam("author_name", author).queryParam("limit", 2)
                .queryParam("next_token", token).get("/api/upload").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("uploads.file_id", String.class)).containsExactly(fileIds.get(0));

        abort(fileIds.get(1)).then().statusCode(204);
        JsonPath uploading = given().queryParam("author_name", author).queryParam("upload_status", "uploading")
                .get("/api/upload").then().statusCode(200).extract().jsonPath();
        assertThat(uploading.getList("uploads.file_id", String.class)).containsExactly(fileIds.get(2), fileIds.get(0));
        assertThat(uploading.getString("next_token")).isNull();

        // A token from one author's listing is refused for another's.
        given().queryParam("author_name", author + "-other").queryParam("next_token", token).get("/api/upload")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void withoutAuthorNameTheListingHoldsEveryAuthorOfTheCallerNewestFirst() {
        init(initBody("oldest.bin", 100, null));
        Map<String, Object> first = initBody("first.bin", 100, null);
        first.put("author_name", "author-" + UUID.randomUUID());
        String older = init(first).getString("file_id");
        Map<String, Object> second = initBody("second.bin", 100, null);
        second.put("author_name", "author-" + UUID.randomUUID());
        String newer = init(second).getString("file_id");

        JsonPath page = given().queryParam("limit", 2).get("/api/upload").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("uploads.file_id", String.class)).containsExactly(newer, older);
        assertThat(page.getString("next_token")).isNotBlank();
        given().queryParam("author_name", "").get("/api/upload").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
