package dev.freight.upload;

import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
        // Listing without author_name is the caller's whole listing now (owner index): a made-up token is the 400.
        add(cases, "GET", "/api/upload?next_token=v1.bm90.YXRva2Vu", null, 400, "listing with a made-up next_token");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=0", null, 400, "listing limit 0");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=101", null, 400, "listing limit 101");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=ten", null, 400, "listing limit as word");
        add(cases, "GET", "/api/upload?author_name=Ada&upload_status=done", null, 400, "listing unknown status");
        add(cases, "GET", "/api/upload?author_name=Ada&next_token=garbage", null, 400, "listing forged token");
        // hostile file and author names
        String[][] hostileNames = {
                { "../../etc/passwd", "path traversal" }, { "a/b.txt", "slash" }, { "a\\\\b.txt", "backslash" },
                { ".", "dot" }, { "..", "dot dot" }, { "invoice\\u202Efdp.exe", "RTL override" },
                { "a\\u202Ab", "LTR embedding" }, { "a\\u2066b", "isolate" }, { "\\uFEFFname", "byte order mark" },
                { "a\\u200Bb", "zero-width space" }, { "a\\u0007b", "bell" }, { "a\\u007Fb", "delete" },
                { "a\\u0085b", "next line" }, { "a\\uD800b", "lone surrogate" }, { "a\\uFFFEb", "noncharacter" },
                { "\\u00e9".repeat(256), "256 accented characters" }, { "a\\rb", "carriage return" },
                { "a\\tb", "tab" } };
        for (String[] name : hostileNames) {
            add(cases, "POST", "/api/upload/init", init("\"filename\":\"" + name[0] + "\""), 400, "filename with " + name[1]);
        }
        for (String[] name : List.of(hostileNames).subList(5, 15)) {
            add(cases, "POST", "/api/upload/init", init("\"author_name\":\"" + name[0] + "\""), 400, "author with " + name[1]);
        }
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"k\":\"a\\u202Eb\"}"), 400, "metadata value with RTL override");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"bad key\":\"v\"}"), 400, "metadata key with space");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"\":\"v\"}"), 400, "empty metadata key");
        add(cases, "POST", "/api/upload/init", init("\"metadata\":{\"k\":null}"), 400, "null metadata value");
        // every number field with values of the wrong kind or out of range
        for (String field : List.of("file_size", "part_size")) {
            for (String[] value : new String[][] { { "true", "boolean" }, { "[1]", "array" }, { "{}", "object" },
                    { "\"1e3\"", "numeric string" }, { "-9223372036854775808", "Long.MIN_VALUE" },
                    { "9223372036854775808", "Long.MAX_VALUE + 1" }, { "0.0", "zero fraction" }, { "NaN", "NaN" } }) {
                add(cases, "POST", "/api/upload/init", init("\"" + field + "\":" + value[0]), 400, field + " as " + value[1]);
            }
        }
        for (String field : List.of("filename", "file_type", "author_name", "checksum_sha256", "created_at")) {
            for (String[] value : new String[][] { { "true", "boolean" }, { "[\"a\"]", "array" }, { "{}", "object" },
                    { "12", "number" } }) {
                add(cases, "POST", "/api/upload/init", init("\"" + field + "\":" + value[0]), 400, field + " as " + value[1]);
            }
        }
        add(cases, "POST", "/api/upload/init", init("\"filename\":null"), 400, "null filename");
        add(cases, "POST", "/api/upload/init", init("\"file_size\":null"), 400, "null file_size");
        add(cases, "POST", "/api/upload/init", init("\"part_size\":0"), 400, "zero part_size");
        add(cases, "POST", "/api/upload/init", "{" + INIT_OK + ",\"filename\":\"b\"}", 400, "duplicated key");
        add(cases, "POST", "/api/upload/init", "[".repeat(5000) + "]".repeat(5000), 400, "deeply nested arrays");
        add(cases, "POST", "/api/upload/init", "{\"filename\":\"" + "x".repeat(2_200_000) + "\"}", 413, "body over 2 MiB");
        add(cases, "POST", "/api/upload/init", "\"just a string\"", 400, "string body");
        addWithType(cases, "POST", "/api/upload/init", "<init/>", "application/xml", 415, "XML body");
        addWithType(cases, "POST", "/api/upload/init", "{" + INIT_OK + "}", "text/csv", 415, "CSV body");
        addWithType(cases, "POST", "/api/upload/complete", "{}", "text/plain", 415, "complete as text");
        addWithType(cases, "POST", "/api/upload/abort", "{}", "text/plain", 415, "abort as text");
        addWithType(cases, "POST", "/api/upload/refresh_urls", "{}", "text/plain", 415, "refresh as text");
        // ids that are not UUIDs, everywhere an id goes
        for (String[] id : new String[][] { { "", "empty" }, { "123", "number text" }, { "{" + UNKNOWN_ID + "}", "braced" },
                { UNKNOWN_ID + "0", "too long" }, { "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "non-hex" },
                { "../" + UNKNOWN_ID, "path" } }) {
            add(cases, "POST", "/api/upload/refresh_urls", "{\"file_id\":\"" + id[0] + "\"}", 400, "refresh with " + id[1] + " id");
            add(cases, "POST", "/api/upload/abort", "{\"file_id\":\"" + id[0] + "\"}", 400, "abort with " + id[1] + " id");
            add(cases, "POST", "/api/upload/complete", "{\"file_id\":\"" + id[0] + "\",\"parts\":[{\"part_number\":1,\"etag\":\"x\"}]}",
                    400, "complete with " + id[1] + " id");
        }
        for (String[] id : new String[][] { { "123", "number" }, { UNKNOWN_ID + "0", "too long" },
                { "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "non-hex" }, { "%00", "NUL" } }) {
            add(cases, "GET", "/api/upload/" + id[0], null, 400, "status with " + id[1] + " id");
            add(cases, "GET", "/api/download/" + id[0], null, 400, "download with " + id[1] + " id");
        }
        // part lists: sizes and shapes
        add(cases, "POST", "/api/upload/refresh_urls", refresh(repeat("{\"part_number\":1}", 10_001)), 400, "10,001 parts to refresh");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":1,\"checksum_sha256\":7}"), 400, "numeric checksum");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":-1}"), 400, "negative part number");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":1.5}"), 400, "fractional part number");
        add(cases, "POST", "/api/upload/refresh_urls", refresh("{\"part_number\":1,\"extra\":true}"), 400, "unknown part field");
        add(cases, "POST", "/api/upload/complete", complete(repeat("{\"part_number\":1,\"etag\":\"x\"}", 10_001)), 400, "10,001 parts to complete");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":4,\"etag\":\"x\"}"), 400, "complete part beyond part_count");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":1,\"etag\":\"\"}"), 400, "empty etag");
        add(cases, "POST", "/api/upload/complete", complete("{\"part_number\":1,\"etag\":\"" + "e".repeat(129) + "\"}"), 400, "long etag");
        add(cases, "POST", "/api/upload/complete", complete("null"), 400, "null part in complete");
        add(cases, "POST", "/api/upload/complete", "{\"file_id\":\"{id}\",\"parts\":{}}", 400, "parts as object");
        // listing parameters
        add(cases, "GET", "/api/upload?author_name=", null, 400, "empty author");
        add(cases, "GET", "/api/upload?author_name=" + "a".repeat(129), null, 400, "long author in listing");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=-1", null, 400, "negative limit");
        add(cases, "GET", "/api/upload?author_name=Ada&limit=1e2", null, 400, "limit in exponent form");
        add(cases, "GET", "/api/upload?author_name=Ada&upload_status=UPLOADING", null, 400, "status in capitals");
        add(cases, "GET", "/api/upload?author_name=Ada&next_token=" + "A".repeat(3000), null, 400, "oversized token");
        add(cases, "GET", "/api/upload?author_name=Ada&next_token=bm90LWEtdG9rZW4", null, 400, "token of valid base64");
        // routing
        add(cases, "PUT", "/api/upload/init", "{}", 405, "PUT on init");
        add(cases, "GET", "/api/upload/complete/extra", null, 404, "unknown nested path");
        add(cases, "DELETE", "/api/upload/init", null, 405, "wrong method");
        add(cases, "GET", "/api/nothing-here", null, 404, "unknown path");
        return cases.stream();
    }

    @ParameterizedTest(name = "{5}")
    @MethodSource("cases")
    void answersProblemAndWritesNothing(String method, String path, String body, String contentType, int expected,
            String description) {
        long itemsBefore = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();

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
        assertThat(storage.openUploadsStartedSince(mark)).as("S3 uploads after " + description).isEmpty();
        assertThat(storage.itemString(existingId, "upload_status")).isEqualTo("uploading");
    }

    @Test
    void errorsNameNestedFieldsByTheirJsonPath() {
        JsonPath problem = given().contentType("application/json")
                .body("{\"file_id\":\"" + existingId + "\",\"parts\":[{\"part_number\":1},{\"part_number\":0},null]}")
                .post("/api/upload/refresh_urls").then().statusCode(400).extract().jsonPath();
        assertThat(problem.getString("detail")).isEqualTo("The request has invalid fields");
        assertThat(problem.getList("errors.field")).containsExactly("parts[1].part_number", "parts[2]");
        assertThat(problem.getList("errors.message")).containsExactly("must be greater than or equal to 1",
                "must not be null");
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

    private static String repeat(String element, int times) {
        return String.join(",", java.util.Collections.nCopies(times, element));
    }

    private static String manyMetadata(int entries) {
        StringBuilder metadata = new StringBuilder("\"metadata\":{");
        for (int index = 0; index < entries; index++) {
            metadata.append(index == 0 ? "" : ",").append("\"k").append(index).append("\":\"v\"");
        }
        return metadata.append('}').toString();
    }
}
