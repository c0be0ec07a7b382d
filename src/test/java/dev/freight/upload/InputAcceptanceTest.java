package dev.freight.upload;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.FreightApi;
import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Valid input that was refused: RFC 6381 media types and names from supplementary planes go through the whole
 * flow; and an Idempotency-Key reused with another body is told apart from a retry, whatever the metadata holds.
 */
@QuarkusTest
class InputAcceptanceTest {

    private static final String CODECS = "video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"";

    @Inject
    StorageInspector storage;

    @Test
    void anRfc6381TypeAndASupplementaryPlaneNameAreStoredAndServedBack() throws Exception {
        // U+1D800 (SignWriting) and U+2D800 (CJK Extension F): one code point each, two UTF-16 units.
        String filename = "\uD836\uDC00 \uD876\uDC00 clip.mp4";
        byte[] file = TestFiles.randomBytes(700, 61);
        Map<String, Object> body = initBody(filename, file.length, null);
        body.put("file_type", CODECS);
        JsonPath started = FreightApi.init(body);
        String fileId = started.getString("file_id");
        assertThat(storage.itemString(fileId, "file_type")).isEqualTo(CODECS);
        assertThat(storage.itemString(fileId, "filename")).isEqualTo(filename);

        String etag = PartSender.put(urlOf(started, 1), Map.of(), file).etag();
        complete(fileId, Map.of(1, etag)).then().statusCode(200);
        JsonPath download = given().get("/api/download/" + fileId).then().statusCode(200).extract().jsonPath();
        assertThat(download.getString("file_type")).isEqualTo(CODECS);
        assertThat(download.getString("filename")).isEqualTo(filename);
        HttpResponse<byte[]> object = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(download.getString("url"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(object.body()).isEqualTo(file);
        assertThat(object.headers().firstValue("Content-Type").orElseThrow()).isEqualTo(CODECS);
    }

    @Test
    void anIdempotencyKeyReusedWithMetadataThatOnlyPrintsAlikeAnswers422() {
        String key = "fingerprint-" + UUID.randomUUID();
        Map<String, Object> first = initBody("same.bin", 100, null);
        first.put("metadata", Map.of("a", "b, c=d"));
        Map<String, Object> second = initBody("same.bin", 100, null);
        second.put("metadata", Map.of("a", "b", "c", "d"));
        String fileId = given().header("Idempotency-Key", key).contentType("application/json").body(first)
                .post("/api/upload/init").then().statusCode(201).extract().jsonPath().getString("file_id");
        long items = storage.itemCount();

        var reused = given().header("Idempotency-Key", key).contentType("application/json").body(second)
                .post("/api/upload/init");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.item(fileId).orElseThrow().get("metadata").m()).containsOnlyKeys("a");

        // The same body again (keys in another order) is a retry: the same upload.
        Map<String, Object> again = initBody("same.bin", 100, null);
        again.put("metadata", new java.util.TreeMap<>(Map.of("a", "b, c=d")));
        assertThat(given().header("Idempotency-Key", key).contentType("application/json").body(again)
                .post("/api/upload/init").then().statusCode(201).extract().jsonPath().getString("file_id"))
                .isEqualTo(fileId);
    }
}
