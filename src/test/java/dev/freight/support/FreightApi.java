package dev.freight.support;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The HTTP API as a client uses it (rest-assured), with the JSON shapes of docs/api.md. */
public final class FreightApi {

    private FreightApi() {
    }

    public static Map<String, Object> initBody(String filename, long fileSize, Long partSize) {
        Map<String, Object> body = new HashMap<>();
        body.put("filename", filename);
        body.put("file_type", "application/octet-stream");
        body.put("file_size", fileSize);
        body.put("author_name", "Ada");
        if (partSize != null) {
            body.put("part_size", partSize);
        }
        return body;
    }

    public static JsonPath init(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/upload/init")
                .then().statusCode(201).extract().jsonPath();
    }

    public static JsonPath status(String fileId) {
        return given().get("/api/upload/" + fileId).then().statusCode(200).extract().jsonPath();
    }

    public static Response refresh(String fileId, List<Map<String, Object>> parts) {
        Map<String, Object> body = new HashMap<>();
        body.put("file_id", fileId);
        if (parts != null) {
            body.put("parts", parts);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/upload/refresh_urls");
    }

    public static Response complete(String fileId, Map<Integer, String> etags) {
        List<Map<String, Object>> parts = new ArrayList<>();
        etags.forEach((partNumber, etag) -> parts.add(Map.of("part_number", partNumber, "etag", etag)));
        return given().contentType(ContentType.JSON).body(Map.of("file_id", fileId, "parts", parts))
                .post("/api/upload/complete");
    }

    public static Response abort(String fileId) {
        return given().contentType(ContentType.JSON).body(Map.of("file_id", fileId)).post("/api/upload/abort");
    }

    /** The URL of part {@code partNumber} in an init or refresh_urls answer. */
    public static String urlOf(JsonPath answer, int partNumber) {
        return answer.getString("parts.find { it.part_number == " + partNumber + " }.url");
    }

    public static Map<String, String> headersOf(JsonPath answer, int partNumber) {
        return answer.getMap("parts.find { it.part_number == " + partNumber + " }.headers");
    }

    /** An init body for a SHA256 upload (every part URL bound to the part's digest). */
    public static Map<String, Object> sha256InitBody(String filename, long fileSize, Long partSize) {
        Map<String, Object> body = initBody(filename, fileSize, partSize);
        body.put("checksum_algorithm", "SHA256");
        return body;
    }

    /** One entry of a part list: the part and its SHA-256. */
    public static Map<String, Object> partWithChecksum(int partNumber, String checksumSha256) {
        Map<String, Object> part = new HashMap<>();
        part.put("part_number", partNumber);
        part.put("checksum_sha256", checksumSha256);
        return part;
    }
}
