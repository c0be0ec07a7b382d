package dev.freight.upload;

import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.freight.support.StorageInspector;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Bad input, table-driven: every case answers its 4xx as problem+json, never a 5xx, and neither DynamoDB nor S3
 * holds anything new afterwards. {@code {id}} stands for an existing uploading upload of 3 parts.
 */
@QuarkusTest
class InvalidRequestTest {

    private static final String UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
    private static final String INIT_OK = "\"filename\":\"a.bin\",\"file_type\":\"application/octet-stream\","
            + "\"file_size\":15728640,\"author_name\":\"Ada\"";

    private static String existingId;

    @Inject
    StorageInspector storage;

    @BeforeEach
    void createExistingUpload() {
        if (existingId == null) {
            existingId = dev.freight.support.FreightApi.init(initBody("existing.bin", 15L * 1024 * 1024, 5L * 1024 * 1024)).getString("file_id");
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // init: body shape
        add(cases, "POST", "/api/upload/init", "{", 400, "invalid JSON");
        add(cases, "POST", "/api/upload/init", "", 400, "empty body");
        add(cases, "POST", "/api/upload/init", "null", 400, "null body");
        add(cases, "POST", "/api/upload/init", "[]", 400, "array body");
        add(cases, "POST", "/api/upload/init", "{" + INIT_OK + "} trailing", 400, "trailing garbage");
        add(cases, "POST", "/api/upload/init", "{" + INIT_OK + ",\"surprise\":1}", 400, "unknown field");
        add(cases, "POST", "/api/upload/init", "{\"file_type\":\"a/b\",\"file_size\":1,\"author_name\":\"A\"}", 400, "no filename");
        add(cases, "POST", "/api/upload/init", "{\"filename\":\"a\",\"file_size\":1,\"author_name\":\"A\"}", 400, "no file_type");
        add(cases, "POST", "/api/upload/init", "{\"filename\":\"a\",\"file_type\":\"a/b\",\"author_name\":\"A\"}", 400, "no file_size");
        add(cases, "POST", "/api/upload/init", "{\"filename\":\"a\",\"file_type\":\"a/b\",\"file_size\":1}", 400, "no author_name");
        // init: values
        add(cases, "POST", "/api/upload/init", init("\"file_size\":\"10\""), 400, "file_size as string");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":1.5"), 400, "fractional file_size");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":0"), 400, "zero file_size");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":-1"), 400, "negative file_size");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":6597069766656"), 400, "file_size over 5 TiB");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":1e30"), 400, "file_size overflowing a long");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":99999999999999999999999"), 400, "huge integer");
        add(cases, "POST", "/api/upload/init", init("\"filename\":\"\""), 400, "empty filename");
        add(cases, "POST", "/api/upload/init", init("\"filename\":\"" + "x".repeat(256) + "\""), 400, "long filename");
        add(cases, "POST", "/api/upload/init", init("\"filename\":\"a\\u0000b\""), 400, "NUL in filename");
        add(cases, "POST", "/api/upload/init", init("\"filename\":\"a\\nb\""), 400, "newline in filename");
        add(cases, "POST", "/api/upload/init", init("\"filename\":7"), 400, "numeric filename");
        add(cases, "POST", "/api/upload/init", init("\"file_type\":\"video\""), 400, "media type without subtype");
        add(cases, "POST", "/api/upload/init", init("\"file_type\":\"\""), 400, "empty media type");
        add(cases, "POST", "/api/upload/init", init("\"file_type\":\"a/b\\r\\nX-Evil: 1\""), 400, "header injection in type");
        add(cases, "POST", "/api/upload/init", init("\"author_name\":\"   \""), 400, "blank author");
        add(cases, "POST", "/api/upload/init", init("\"author_name\":\"" + "a".repeat(129) + "\""), 400, "long author");
        add(cases, "POST", "/api/upload/init", init("\"part_size\":-5"), 400, "negative part_size");
        add(cases, "POST", "/api/upload/init", init("\"part_size\":\"big\""), 400, "part_size as string");
        add(cases, "POST", "/api/upload/init", init("\"checksum_sha256\":\"abc\""), 400, "short checksum");
        add(cases, "POST", "/api/upload/init", init("\"created_at\":\"yesterday\""), 400, "unparsable created_at");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"a\":1}"), 400, "non-string metadata value");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"a\":{\"b\":\"c\"}}"), 400, "nested metadata");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":[\"a\"]"), 400, "metadata as array");
        add(cases, "POST", "/api/upload/init", init(manyMetadata(33)), 400, "too many metadata entries");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"k\":\"" + "v".repeat(1025) + "\"}"), 400, "long metadata value");
        addWithType(cases, "POST", "/api/upload/init", "{" + INIT_OK + "}", "text/plain", 415, "text/plain body");
        addWithType(cases, "POST", "/api/upload/init", "filename=a", "application/x-www-form-urlencoded", 415, "form body");
        // refresh_urls
        add(cases, "POST", "/api/upload/refresh_urls", "{}", 400, "refresh without file_id");
        add(cases, "POST", "/api/upload/refresh_urls", "{\"file_id\":\"nope\"}", 400, "refresh with a non-UUID id");
        add(cases, "POST", "/api/upload/refresh_urls", "{\"file_id\":\"" + UNKNOWN_ID + "\"}", 404, "refresh of an unknown upload");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":0}"), 400, "part number 0");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":10001}"), 400, "part number 10001");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":4}"), 400, "part beyond part_count");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":1},{\"part_number\":1}"), 400, "duplicated part");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":1,\"checksum_sha256\":\"zz\"}"), 400, "bad checksum");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{}"), 400, "part without number");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("null"), 400, "null part");
        add(cases, "POST", "/api/upload/refresh_urls", "{\"file_id\":\"{id}\",\"parts\":\"all\"}", 400, "parts as string");
        // complete
        add(cases, "POST", "/api/upload/complete", "{\"file_id\":\"{id}\"}", 400, "complete without parts");
        add(cases, "POST", "/api/upload/complete", "{\"file_id\":\"{id}\",\"parts\":[]}", 400, "complete with no parts");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":0,\"etag\":\"x\"}"), 400, "complete part 0");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":10001,\"etag\":\"x\"}"), 400, "complete part 10001");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":1,\"etag\":\"x\"},{\"part_number\":1,\"etag\":\"x\"}"), 400, "complete duplicated part");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":1}"), 400, "complete part without etag");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":\"one\",\"etag\":\"x\"}"), 400, "part number as word");
        add(cases, "POST", "/api/upload/complete", "{\"file_id\":\"" + UNKNOWN_ID + "\",\"parts\":[{\"part_number\":1,\"etag\":\"x\"}]}", 404, "complete unknown upload");
        // abort
        add(cases, "POST", "/api/upload/abort", "{}", 400, "abort without file_id");
        add(cases, "POST", "/api/upload/abort", "{\"file_id\":12}", 400, "abort with a numeric id");
        add(cases, "POST", "/api/upload/abort", "{\"file_id\":\"" + UNKNOWN_ID + "\"}", 404, "abort unknown upload");
        // status, download, listing
        add(cases, "GET", "/api/upload/not-a-uuid", null, 400, "status with a non-UUID id");
        add(cases, "GET", "/api/upload/" + UNKNOWN_ID, null, 404, "status of an unknown upload");
        add(cases, "GET", "/api/download/not-a-uuid", null, 400, "download with a non-UUID id");
        add(cases, "GET", "/api/download/" + UNKNOWN_ID, null, 404, "download of an unknown upload");
        add(cases, "GET", "/api/download/{id}?redirect=maybe", null, 400, "download with a bad redirect flag");
        add(cases, "GET", "/api/upload", null, 400, "listing without author");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=0", null, 400, "listing limit 0");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=101", null, 400, "listing limit 101");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=ten", null, 400, "listing limit as word");
        add(cases, "GET", "/api/upload?author_name=Ada&upload_status=done", null, 400, "listing unknown status");
        add(cases, "GET", "/api/upload?author_name=Ada&next_token=garbage", null, 400, "listing forged token");
        // routing
        add(cases, "DELETE", "/api/upload/init", null, 405, "wrong method");
        add(cases, "GET", "/api/nothing-here", null, 404, "unknown path");
        return cases.stream();
    }

    @ParameterizedTest(name = "{5}")
    @MethodSource("cases")
    void answersProblemAndWritesNothing(String method, String path, String body, String contentType, int expected,
            String description) {
        long itemsBefore = storage.itemCount();
        long uploadsBefore = storage.openMultipartUploads();

        RequestSpecification request = given().redirects().follow(false);
        if (contentType != null) {
            request.contentType(contentType);
        }
        if (body != null) {
            request.body(body.replace("{id}", existingId));
        }
        Response response = request.request(method, path.replace("{id}", existingId));

        assertThat(response.statusCode()).as(description).isEqualTo(expected);
        assertThat(response.contentType()).as(description).startsWith("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getInt("status")).isEqualTo(expected);
        assertThat(problem.getString("type")).startsWith("https://freight.dev/problems/");
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(storage.itemCount()).as("DynamoDB items after " + description).isEqualTo(itemsBefore);
        assertThat(storage.openMultipartUploads()).as("S3 uploads after " + description).isEqualTo(uploadsBefore);
        assertThat(storage.itemString(existingId, "upload_status")).isEqualTo("uploading");
    }

    private static void add(List<Arguments> cases, String method, String path, String body, int status, String name) {
        addWithType(cases, method, path, body, body == null ? null : "application/json", status, name);
    }

    private static void addWithType(List<Arguments> cases, String method, String path, String body, String type,
            int status, String name) {
        cases.add(Arguments.of(method, path, body, type, status, name));
    }

    private static String init(String override) {
        String field = override.substring(0, override.indexOf(':'));
        String rest = ("," + INIT_OK).replaceAll("," + java.util.regex.Pattern.quote(field) + ":(\"[^\"]*\"|[^,]*)", "");
        return "{" + override + rest + "}";
    }

    private static String refresh(String parts) {
        return "{\"file_id\":\"{id}\",\"parts\":[" + parts + "]}";
    }

    private static String complete(String parts) {
        return "{\"file_id\":\"{id}\",\"parts\":[" + parts + "]}";
    }

    private static String manyMetadata(int entries) {
        StringBuilder metadata = new StringBuilder("\"metadata\":{");
        for (int index = 0; index < entries; index++) {
            metadata.append(index == 0 ? "" : ",").append("\"k").append(index).append("\":\"v\"");
        }
        return metadata.append('}').toString();
    }
}
