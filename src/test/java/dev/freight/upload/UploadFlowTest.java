package dev.freight.upload;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.headersOf;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.refresh;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The whole flow against real emulators: init, parallel PUTs to presigned URLs, status, complete, download. */
@QuarkusTest
class UploadFlowTest {

    private static final long PART_SIZE = 5L * MIB;
    private static final int FILE_SIZE = 12 * MIB + 12_345;

    @Inject
    StorageInspector storage;

    @Test
    void parallelUploadCompletesAndDownloadsTheSameBytes() throws Exception {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 1);
        JsonPath started = init(initBody("holiday.mp4", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");

        assertThat(started.getString("upload_status")).isEqualTo("uploading");
        assertThat(started.getLong("part_size")).isEqualTo(PART_SIZE);
        assertThat(started.getInt("part_count")).isEqualTo(3);
        assertThat(started.getList("parts")).hasSize(3);
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploading");
        // Counted against the quota, so no TTL yet: DynamoDB must not delete it before an ending gives it back.
        assertThat(storage.item(fileId).orElseThrow()).containsKey("quota_bytes").doesNotContainKey("expires_at");
        assertThat(storage.objectKey(UUID.fromString(fileId))).startsWith(fileId).doesNotContain("holiday");

        Map<Integer, String> etags = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CompletableFuture.allOf(List.of(1, 2).stream().map(partNumber -> CompletableFuture.runAsync(() -> {
                PartSender.Answer answer = PartSender.put(urlOf(started, partNumber), headersOf(started, partNumber),
                        TestFiles.part(file, PART_SIZE, partNumber));
                assertThat(answer.status()).isEqualTo(200);
                etags.put(partNumber, answer.etag());
            }, pool)).toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }

        JsonPath progress = status(fileId);
        assertThat(progress.getLong("bytes_uploaded")).isEqualTo(2 * PART_SIZE);
        assertThat(progress.getList("uploaded_parts.part_number", Integer.class)).containsExactly(1, 2);
        assertThat(progress.getList("uploaded_parts.etag", String.class)).containsExactly(etags.get(1), etags.get(2));

        PartSender.Answer last = PartSender.put(urlOf(started, 3), headersOf(started, 3), TestFiles.part(file, PART_SIZE, 3));
        assertThat(last.status()).isEqualTo(200);
        etags.put(3, last.etag());

        JsonPath done = complete(fileId, new TreeMap<>(etags)).then().statusCode(200).extract().jsonPath();
        String objectKey = storage.objectKey(UUID.fromString(fileId));
        assertThat(done.getString("upload_status")).isEqualTo("uploaded");
        assertThat(done.getLong("bytes_uploaded")).isEqualTo(FILE_SIZE);
        assertThat(done.getString("etag")).isEqualTo(storage.objectEtag(objectKey)).endsWith("-3\"");
        assertThat(done.getString("completed_at")).isNotNull();
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
        assertThat(storage.itemString(fileId, "etag")).isEqualTo(done.getString("etag"));
        assertThat(storage.itemString(fileId, "path_url")).endsWith("/" + objectKey);
        assertThat(storage.item(fileId).orElseThrow()).doesNotContainKey("expires_at");
        assertThat(storage.hasOpenMultipartUpload(started.getString("upload_id"))).isFalse();
        assertThat(TestFiles.sha256Hex(storage.object(objectKey))).isEqualTo(TestFiles.sha256Hex(file));

        JsonPath download = given().get("/api/download/" + fileId).then().statusCode(200).extract().jsonPath();
        assertThat(download.getString("filename")).isEqualTo("holiday.mp4");
        assertThat(download.getLong("file_size")).isEqualTo(FILE_SIZE);
        assertThat(download.getString("etag")).isEqualTo(done.getString("etag"));
        assertThat(download.getString("expires_at")).isNotNull();

        HttpResponse<byte[]> whole = PartSender.get(download.getString("url"), Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(TestFiles.sha256Hex(whole.body())).isEqualTo(TestFiles.sha256Hex(file));
        assertThat(whole.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment").contains("filename*=UTF-8''holiday.mp4");

        HttpResponse<byte[]> slice = PartSender.get(download.getString("url"),
                Map.of("Range", "bytes=5242870-5242899"));
        assertThat(slice.statusCode()).isEqualTo(206);
        assertThat(slice.body()).isEqualTo(Arrays.copyOfRange(file, 5_242_870, 5_242_900));

        String location = given().redirects().follow(false).get("/api/download/" + fileId + "?redirect=true")
                .then().statusCode(302).extract().header("Location");
        assertThat(TestFiles.sha256Hex(PartSender.get(location, Map.of()).body())).isEqualTo(TestFiles.sha256Hex(file));
    }

    @Test
    void resumesFromStorageAloneAfterTheClientForgotEverything() {
        byte[] file = TestFiles.randomBytes(FILE_SIZE, 2);
        JsonPath started = init(initBody("archive.tar", FILE_SIZE, PART_SIZE));
        String fileId = started.getString("file_id");
        for (int partNumber : new int[] { 1, 3 }) {
            assertThat(PartSender.put(urlOf(started, partNumber), Map.of(), TestFiles.part(file, PART_SIZE, partNumber))
                    .status()).isEqualTo(200);
        }

        // The client lost everything but file_id: status tells what storage holds, refresh gives only the rest.
        JsonPath progress = status(fileId);
        assertThat(progress.getList("uploaded_parts.part_number", Integer.class)).containsExactly(1, 3);
        assertThat(progress.getLong("bytes_uploaded")).isEqualTo(PART_SIZE + (FILE_SIZE - 2 * PART_SIZE));
        JsonPath missing = refresh(fileId, null).then().statusCode(200).extract().jsonPath();
        assertThat(missing.getList("parts.part_number", Integer.class)).containsExactly(2);

        assertThat(PartSender.put(urlOf(missing, 2), headersOf(missing, 2), TestFiles.part(file, PART_SIZE, 2)).status())
                .isEqualTo(200);
        JsonPath resumed = status(fileId);
        Map<Integer, String> etags = new TreeMap<>();
        for (int index = 0; index < 3; index++) {
            etags.put(resumed.getInt("uploaded_parts[" + index + "].part_number"),
                    resumed.getString("uploaded_parts[" + index + "].etag"));
        }
        assertThat(refresh(fileId, null).then().statusCode(200).extract().jsonPath().getList("parts")).isEmpty();

        complete(fileId, etags).then().statusCode(200);
        assertThat(TestFiles.sha256Hex(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                .isEqualTo(TestFiles.sha256Hex(file));
    }

    @Test
    void checksumBoundUrlRefusesOtherBytesAndTheFileIsNeverBuiltFromThem() {
        byte[] file = TestFiles.randomBytes((int) PART_SIZE + 1000, 3);
        Map<String, Object> body = initBody("data.bin", file.length, PART_SIZE);
        body.put("checksum_algorithm", "SHA256");
        JsonPath started = init(body);
        String fileId = started.getString("file_id");
        byte[] part1 = TestFiles.part(file, PART_SIZE, 1);
        byte[] part2 = TestFiles.part(file, PART_SIZE, 2);

        JsonPath bound = refresh(fileId, List.of(
                Map.of("part_number", 1, "checksum_sha256", TestFiles.sha256Base64(part1)),
                Map.of("part_number", 2, "checksum_sha256", TestFiles.sha256Base64(part2))))
                .then().statusCode(200).extract().jsonPath();
        assertThat(headersOf(bound, 1)).containsEntry("x-amz-checksum-sha256", TestFiles.sha256Base64(part1));

        byte[] corrupted = part1.clone();
        corrupted[12_345] ^= 0x01;
        PartSender.Answer refused = PartSender.put(urlOf(bound, 1), headersOf(bound, 1), corrupted);
        assertThat(refused.accepted()).isFalse();
        assertThat(status(fileId).getList("uploaded_parts")).isEmpty();

        PartSender.Answer second = PartSender.put(urlOf(bound, 2), headersOf(bound, 2), part2);
        assertThat(second.status()).isEqualTo(200);
        complete(fileId, Map.of(1, "\"anything\"", 2, second.etag())).then().statusCode(409)
                .contentType("application/problem+json");
        assertThat(storage.objectExists(storage.objectKey(UUID.fromString(fileId)))).isFalse();

        PartSender.Answer first = PartSender.put(urlOf(bound, 1), headersOf(bound, 1), part1);
        assertThat(first.status()).isEqualTo(200);
        JsonPath done = complete(fileId, new TreeMap<>(Map.of(1, first.etag(), 2, second.etag())))
                .then().statusCode(200).extract().jsonPath();
        assertThat(TestFiles.sha256Hex(storage.object(storage.objectKey(UUID.fromString(fileId)))))
                .isEqualTo(TestFiles.sha256Hex(file));
        assertThat(done.getString("upload_status")).isEqualTo("uploaded");
    }
}
