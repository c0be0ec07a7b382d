package dev.freight.upload;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Real-world names are kept exactly, never reach the object key, and come back safely encoded on download. */
@QuarkusTest
class UnicodeFilenameTest {

    @Inject
    StorageInspector storage;

    @ParameterizedTest
    @ValueSource(strings = { "Résumé final (2).pdf", "家族写真.jpg", "👩‍👩‍👧 family.mov", "a \"quoted\" name;.txt",
            "spaces   and%20percent.bin", "ملف.txt" })
    void nameIsStoredExactlyAndDownloadedUnderIt(String filename) {
        byte[] file = TestFiles.randomBytes(64, filename.hashCode());
        JsonPath started = init(initBody(filename, file.length, null));
        String fileId = started.getString("file_id");
        String etag = PartSender.put(started.getString("parts[0].url"), Map.of(), file).etag();
        complete(fileId, Map.of(1, etag)).then().statusCode(200);

        assertThat(storage.itemString(fileId, "filename")).isEqualTo(filename);
        assertThat(storage.objectKey(UUID.fromString(fileId))).isEqualTo(fileId);
        String url = given().get("/api/download/" + fileId).then().statusCode(200).extract().jsonPath().getString("url");
        String disposition = PartSender.get(url, Map.of()).headers().firstValue("Content-Disposition").orElseThrow();
        assertThat(disposition).isEqualTo(disposition.replaceAll("[^\\x20-\\x7e]", "")); // plain ASCII header
        String encoded = disposition.substring(disposition.indexOf("filename*=UTF-8''") + "filename*=UTF-8''".length());
        assertThat(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(filename);
    }
}
