package dev.freight.companion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.StorageInspector;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Every Companion route refuses bad input with a small 4xx problem, naming the field, and changes nothing: no
 * record written, no multipart upload started or ended, no object stored.
 */
@QuarkusTest
@TestProfile(CompanionProfile.class)
class CompanionInputTest {

    private static final String BASE = CompanionRoutesTest.BASE;

    @Inject
    StorageInspector storage;

    /** One bad request: what it is, how it is sent, and the status, problem and field it must answer. */
    private record Case(String what, Function<Upload, Response> send, int status, String problem, String field) {
    }

    /** An upload started for the cases that need one. */
    private record Upload(String key, String uploadId) {
    }

    @Test
    void badInputToEveryRouteIsAProblemAndChangesNothing() {
        JsonPath started = CompanionRoutesTest.start("kept.bin", "application/octet-stream", Map.of());
        Upload upload = new Upload(started.getString("key"), started.getString("uploadId"));
        Map<String, String> tooMuchMetadata = new TreeMap<>();
        IntStream.range(0, 33).forEach(index -> tooMuchMetadata.put("k" + index, "v"));
        List<Case> cases = List.of(
                new Case("start: not JSON", up -> json("{filename:").post(BASE + "/multipart"), 400,
                        "invalid-request", "body"),
                new Case("start: a JSON array", up -> json("[]").post(BASE + "/multipart"), 400, "invalid-request",
                        "body"),
                new Case("start: no filename", up -> json(Map.of("type", "text/plain")).post(BASE + "/multipart"),
                        400, "invalid-request", "filename"),
                new Case("start: a path for a filename", up -> json(Map.of("filename", "../etc/passwd",
                        "type", "text/plain")).post(BASE + "/multipart"), 400, "invalid-request", "filename"),
                new Case("start: not a media type", up -> json(Map.of("filename", "a.txt", "type", "text"))
                        .post(BASE + "/multipart"), 400, "invalid-request", "type"),
                new Case("start: a number for a filename", up -> json(Map.of("filename", 7, "type", "text/plain"))
                        .post(BASE + "/multipart"), 400, "invalid-request", "filename"),
                new Case("start: an object in metadata", up -> json(Map.of("filename", "a.txt", "type",
                        "text/plain", "metadata", Map.of("k", Map.of("x", 1)))).post(BASE + "/multipart"), 400,
                        "invalid-request", "metadata[k]"),
                new Case("start: 33 metadata entries", up -> json(Map.of("filename", "a.txt", "type", "text/plain",
                        "metadata", tooMuchMetadata)).post(BASE + "/multipart"), 400, "invalid-request", "metadata"),
                new Case("start: not JSON's media type", up -> given().contentType("text/plain").body("{}")
                        .post(BASE + "/multipart"), 415, "unsupported-media-type", null),
                new Case("sign: no key", up -> given().get(BASE + "/multipart/" + up.uploadId() + "/1"), 400,
                        "invalid-request", "key"),
                new Case("sign: part 0", up -> given().queryParam("key", up.key())
                        .get(BASE + "/multipart/" + up.uploadId() + "/0"), 400, "invalid-request", "partNumber"),
                new Case("sign: part 10001", up -> given().queryParam("key", up.key())
                        .get(BASE + "/multipart/" + up.uploadId() + "/10001"), 400, "invalid-request", "partNumber"),
                new Case("sign: a word for a part", up -> given().queryParam("key", up.key())
                        .get(BASE + "/multipart/" + up.uploadId() + "/two"), 400, "invalid-request", "partNumber"),
                new Case("sign: a key that is no file id", up -> given().queryParam("key", "photos/a.jpg")
                        .get(BASE + "/multipart/" + up.uploadId() + "/1"), 404, "upload-not-found", null),
                new Case("sign: a file id spelt otherwise", up -> given().queryParam("key", up.key().toUpperCase())
                        .get(BASE + "/multipart/" + up.uploadId() + "/1"), 404, "upload-not-found", null),
                new Case("sign: another upload id", up -> given().queryParam("key", up.key())
                        .get(BASE + "/multipart/not-this-one/1"), 404, "upload-not-found", null),
                new Case("list: an unknown key", up -> given().queryParam("key", UUID.randomUUID().toString())
                        .get(BASE + "/multipart/" + up.uploadId()), 404, "upload-not-found", null),
                new Case("list: no key", up -> given().get(BASE + "/multipart/" + up.uploadId()), 400,
                        "invalid-request", "key"),
                new Case("complete: no parts", up -> json(Map.of()).queryParam("key", up.key())
                        .post(BASE + "/multipart/" + up.uploadId() + "/complete"), 400, "invalid-request", "parts"),
                new Case("complete: an empty part list", up -> json(Map.of("parts", List.of())).queryParam("key",
                        up.key()).post(BASE + "/multipart/" + up.uploadId() + "/complete"), 400, "invalid-request",
                        "parts"),
                new Case("complete: a part number as text", up -> json(Map.of("parts", List.of(Map.of("PartNumber",
                        "1", "ETag", "\"abc\"")))).queryParam("key", up.key())
                        .post(BASE + "/multipart/" + up.uploadId() + "/complete"), 400, "invalid-request",
                        "parts[0]"),
                new Case("complete: no part in storage", up -> json(Map.of("parts", List.of(Map.of("PartNumber", 1,
                        "ETag", "\"abc\"")))).queryParam("key", up.key())
                        .post(BASE + "/multipart/" + up.uploadId() + "/complete"), 409, "parts-mismatch", null),
                new Case("abort: another upload's key", up -> given().queryParam("key", UUID.randomUUID().toString())
                        .delete(BASE + "/multipart/" + up.uploadId()), 404, "upload-not-found", null),
                new Case("form: no filename", up -> given().queryParam("type", "text/plain").get(BASE + "/params"),
                        400, "invalid-request", "filename"),
                new Case("form: not a media type", up -> given().queryParam("filename", "a.txt")
                        .queryParam("type", "plain").get(BASE + "/params"), 400, "invalid-request", "type"),
                new Case("form: a bad metadata key", up -> given().queryParam("filename", "a.txt")
                        .queryParam("type", "text/plain").queryParam("metadata[a b]", "v").get(BASE + "/params"),
                        400, "invalid-request", "metadata[a b]"));

        for (Case bad : cases) {
            long records = storage.itemCount();
            StorageInspector.Mark mark = storage.mark();
            Response answer = bad.send().apply(upload);
            assertThat(answer.statusCode()).as(bad.what() + ": " + answer.asString()).isEqualTo(bad.status());
            assertThat(answer.contentType()).as(bad.what()).startsWith("application/problem+json");
            JsonPath problem = answer.jsonPath();
            assertThat(problem.getString("type")).as(bad.what()).endsWith("/" + bad.problem());
            if (bad.field() != null) {
                assertThat(problem.getList("errors.field", String.class)).as(bad.what()).contains(bad.field());
            }
            assertThat(storage.itemCount()).as(bad.what() + ": records").isEqualTo(records);
            assertThat(storage.openUploadsStartedSince(mark)).as(bad.what() + ": multipart uploads").isEmpty();
        }
        assertThat(storage.hasOpenMultipartUpload(upload.uploadId())).isTrue();
        assertThat(storage.itemString(upload.key(), "upload_status")).isEqualTo("uploading");
        assertThat(storage.objectExists(upload.key())).isFalse();
    }

    private static io.restassured.specification.RequestSpecification json(Object body) {
        return given().contentType("application/json").body(body);
    }
}
