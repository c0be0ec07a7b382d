package dev.freight.metrics;

import static dev.freight.support.FreightApi.abort;
import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.refresh;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.freight.support.EmbeddedStorageResource;
import dev.freight.support.ManagementInterface;
import dev.freight.support.PartSender;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The Prometheus scrape at /q/metrics counts the upload life cycle, storage errors and HTTP calls, with no ids. */
@QuarkusTest
class MetricsTest {

    private static final Pattern UUID_PATTERN = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Test
    void countsTheUploadLifeCycle() {
        Scrape before = Scrape.now();

        byte[] file = TestFiles.randomBytes(1234, 40);
        JsonPath started = init(initBody("counted.bin", file.length, null));
        String fileId = started.getString("file_id");
        PartSender.Answer sent = PartSender.put(urlOf(started, 1), Map.of(), file);
        complete(fileId, Map.of(1, sent.etag())).then().statusCode(200);
        // Completing again is idempotent and not a second completion.
        complete(fileId, Map.of(1, sent.etag())).then().statusCode(200);

        Map<String, Object> checksummed = initBody("aborted.bin", 10, null);
        checksummed.put("checksum_algorithm", "SHA256");
        String abortedId = init(checksummed).getString("file_id");
        refresh(abortedId, List.of(Map.of("part_number", 1, "checksum_sha256", TestFiles.sha256Base64(new byte[10]))))
                .then().statusCode(200);
        abort(abortedId).then().statusCode(204);

        Scrape after = Scrape.now();
        assertThat(after.delta(before, "freight_uploads_initiated_total")).isEqualTo(2);
        assertThat(after.delta(before, "freight_uploads_completed_total")).isEqualTo(1);
        assertThat(after.delta(before, "freight_uploads_aborted_total")).isEqualTo(1);
        assertThat(after.delta(before, "freight_uploads_completed_bytes_total")).isEqualTo(file.length);
        assertThat(after.delta(before, "freight_part_urls_signed_total{checksum=\"false\"}")).isEqualTo(1);
        assertThat(after.delta(before, "freight_part_urls_signed_total{checksum=\"true\"}")).isEqualTo(1);
        assertThat(after.delta(before, "freight_upload_complete_duration_seconds_count")).isEqualTo(1);
        assertThat(after.value("freight_upload_complete_duration_seconds_sum")).isPositive();
        assertThat(after.value("freight_uploads_failed_total")).isNotNegative();
        assertThat(after.delta(before, "http_server_requests_seconds_count", "uri=\"/api/upload/init\"",
                "status=\"201\"")).isEqualTo(2);
        assertThat(after.delta(before, "http_server_requests_seconds_count", "uri=\"/api/upload/complete\"",
                "status=\"200\"")).isEqualTo(2);
    }

    @Test
    void countsStorageErrorsByCause() throws Exception {
        Scrape before = Scrape.now();
        EmbeddedStorageResource.s3().close();
        try {
            given().contentType("application/json").body(initBody("down.bin", 10, null)).post("/api/upload/init")
                    .then().statusCode(503);
        } finally {
            EmbeddedStorageResource.s3().restart();
        }
        Scrape after = Scrape.now();
        assertThat(after.delta(before, "freight_storage_errors_total", "storage=\"s3\"", "cause=\"unreachable\""))
                .isGreaterThanOrEqualTo(1);
        for (String cause : List.of("throttled", "conflict", "not_found", "access_denied", "server_error", "rejected")) {
            for (String storage : List.of("s3", "dynamodb")) {
                assertThat(after.lines("freight_storage_errors_total", "storage=\"" + storage + "\"",
                        "cause=\"" + cause + "\"")).as(storage + " " + cause).hasSize(1);
            }
        }
    }

    @Test
    void noSeriesCarriesAnIdOrAPath() {
        String fileId = init(initBody("ids.bin", 10, null)).getString("file_id");
        given().get("/api/upload/" + fileId).then().statusCode(200);
        given().get("/api/upload/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/api/download/" + fileId).then().statusCode(409);
        given().get("/no-such-page/" + UUID.randomUUID()).then().statusCode(404);

        String scrape = Scrape.now().text;
        List<String> series = scrape.lines().filter(line -> !line.startsWith("#")).toList();
        assertThat(series).noneMatch(line -> UUID_PATTERN.matcher(line).find());
        assertThat(series).anyMatch(line -> line.startsWith("http_server_requests_seconds_count")
                && line.contains("uri=\"/api/upload/{file_id}\""));
    }

    /** One scrape of /q/metrics in the Prometheus text format. */
    private record Scrape(String text) {

        static Scrape now() {
            return new Scrape(ManagementInterface.given().get("/q/metrics").then().statusCode(200).extract().asString());
        }

        /** The lines of a series whose name (with optional inline labels) starts with {@code name}, with all labels. */
        List<String> lines(String name, String... labels) {
            return text.lines().filter(line -> !line.startsWith("#"))
                    .filter(line -> line.startsWith(name.contains("{") ? name.substring(0, name.length() - 1) : name + "{")
                            || line.startsWith(name + " "))
                    .filter(line -> List.of(labels).stream().allMatch(line::contains)).toList();
        }

        double value(String name, String... labels) {
            return lines(name, labels).stream()
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }

        double delta(Scrape before, String name, String... labels) {
            return value(name, labels) - before.value(name, labels);
        }
    }
}
