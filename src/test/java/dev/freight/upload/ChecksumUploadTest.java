package dev.freight.upload;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.headersOf;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.partWithChecksum;
import static dev.freight.support.FreightApi.sha256InitBody;
import static dev.freight.support.FreightApi.refresh;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.S3RequestRecorder;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.upload.model.CompositeChecksum;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * The two upload kinds on storage that applies AWS S3's multipart checksum rules: a SHA256 upload binds every
 * part URL to its digest and size, names every part's checksum on complete and records S3's composite checksum;
 * a plain upload never carries part checksums. Each is checked in the answers, in storage and in the requests the
 * service sent to S3.
 */
@QuarkusTest
class ChecksumUploadTest {

    private static final long PART_SIZE = 5L * MIB;

    @Inject
    StorageInspector storage;

    @Test
    void aSha256UploadCompletesWithTheCompositeOfItsOwnPartDigestsAndDownloadsByVerifiedParts() throws Exception {
        byte[] file = TestFiles.randomBytes((int) (2 * PART_SIZE) + 777, 81);
        List<String> digests = TestFiles.partDigests(file, PART_SIZE, 3);
        Map<String, Object> body = sha256InitBody("movie.bin", file.length, PART_SIZE);
        body.put("parts", List.of(partWithChecksum(1, digests.get(0)), partWithChecksum(2, digests.get(1))));
        JsonPath started = init(body);
        String fileId = started.getString("file_id");
        assertThat(started.getString("checksum_algorithm")).isEqualTo("SHA256");
        assertThat(started.getList("parts.part_number", Integer.class)).containsExactly(1, 2);
        assertThat(headersOf(started, 1)).containsEntry("x-amz-checksum-sha256", digests.get(0))
                .doesNotContainKeys("content-length", "Content-Length", "host", "Host");
        assertThat(signedHeaders(urlOf(started, 1))).contains("content-length", "x-amz-checksum-sha256");
        CreateMultipartUploadRequest created = (CreateMultipartUploadRequest) S3RequestRecorder
                .sent(CreateMultipartUploadRequest.class).stream().filter(sent -> sent.request() instanceof
                        CreateMultipartUploadRequest create && create.key().equals(objectKey(fileId)))
                .findFirst().orElseThrow().request();
        assertThat(created.checksumAlgorithmAsString()).isEqualTo("SHA256");

        Map<Integer, String> etags = new TreeMap<>();
        for (int partNumber = 1; partNumber <= 2; partNumber++) {
            etags.put(partNumber, put(started, partNumber, TestFiles.part(file, PART_SIZE, partNumber)));
        }
        JsonPath third = refresh(fileId, List.of(partWithChecksum(3, digests.get(2)))).then().statusCode(200).extract().jsonPath();
        assertThat(third.getLong("parts[0].size")).isEqualTo(777);
        etags.put(3, put(third, 3, TestFiles.part(file, PART_SIZE, 3)));

        JsonPath progress = status(fileId);
        assertThat(progress.getList("uploaded_parts.checksum_sha256", String.class)).isEqualTo(digests);
        assertThat(progress.getString("checksum_algorithm")).isEqualTo("SHA256");

        JsonPath done = complete(fileId, etags).then().statusCode(200).extract().jsonPath();
        String composite = CompositeChecksum.ofDigests(digests);
        assertThat(done.getString("upload_status")).isEqualTo("uploaded");
        assertThat(done.getString("object_checksum_sha256")).isEqualTo(composite);
        assertThat(storage.itemString(fileId, "object_checksum_sha256")).isEqualTo(composite);
        String completeBody = S3RequestRecorder.sent(CompleteMultipartUploadRequest.class).stream()
                .filter(sent -> ((CompleteMultipartUploadRequest) sent.request()).key().equals(objectKey(fileId)))
                .findFirst().orElseThrow().body();
        for (String digest : digests) {
            assertThat(completeBody).contains("<ChecksumSHA256>" + digest + "</ChecksumSHA256>");
        }

        JsonPath download = given().get("/api/download/" + fileId + "?parts=true").then().statusCode(200).extract()
                .jsonPath();
        assertThat(download.getString("object_checksum_sha256")).isEqualTo(composite);
        assertThat(download.getList("parts.checksum_sha256", String.class)).isEqualTo(digests);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int index = 0; index < 3; index++) {
            Map<String, String> headers = download.getMap("parts[" + index + "].headers");
            byte[] bytes = PartSender.get(download.getString("parts[" + index + "].url"), headers).body();
            assertThat(bytes).hasSize(download.getInt("parts[" + index + "].size"));
            assertThat(TestFiles.sha256Base64(bytes)).isEqualTo(download.getString("parts[" + index + "].checksum_sha256"));
            joined.write(bytes);
        }
        assertThat(joined.toByteArray()).isEqualTo(file);
        assertThat(given().get("/api/download/" + fileId).then().statusCode(200).extract().jsonPath()
                .getList("parts")).isNull();
    }

    @Test
    void aSha256UploadResumesFromStorageAloneSendingOnlyMissingParts() {
        byte[] file = TestFiles.randomBytes((int) (3 * PART_SIZE), 82);
        List<String> digests = TestFiles.partDigests(file, PART_SIZE, 3);
        JsonPath started = init(sha256InitBody("resume.bin", file.length, PART_SIZE));
        String fileId = started.getString("file_id");
        assertThat(started.getList("parts")).as("no URL without a checksum").isEmpty();
        JsonPath first = refresh(fileId, List.of(partWithChecksum(2, digests.get(1)))).then().statusCode(200).extract().jsonPath();
        put(first, 2, TestFiles.part(file, PART_SIZE, 2));

        // The client forgot everything: storage tells which parts it holds, with their checksums.
        JsonPath progress = status(fileId);
        assertThat(progress.getList("uploaded_parts.part_number", Integer.class)).containsExactly(2);
        assertThat(progress.getString("uploaded_parts[0].checksum_sha256")).isEqualTo(digests.get(1));
        Map<Integer, String> etags = new TreeMap<>(Map.of(2, progress.getString("uploaded_parts[0].etag")));
        JsonPath missing = refresh(fileId, List.of(partWithChecksum(1, digests.get(0)), partWithChecksum(3, digests.get(2)))).then()
                .statusCode(200).extract().jsonPath();
        etags.put(1, put(missing, 1, TestFiles.part(file, PART_SIZE, 1)));
        etags.put(3, put(missing, 3, TestFiles.part(file, PART_SIZE, 3)));

        JsonPath done = complete(fileId, etags).then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("object_checksum_sha256")).isEqualTo(CompositeChecksum.ofDigests(digests));
        assertThat(storage.object(objectKey(fileId))).isEqualTo(file);
    }

    @Test
    void eachKindRefusesTheOthersPartUrlsAndPartSizesAreBound() {
        byte[] file = TestFiles.randomBytes((int) PART_SIZE + 10, 83);
        String sha256Id = init(sha256InitBody("bound.bin", file.length, PART_SIZE)).getString("file_id");
        problem(refresh(sha256Id, null).then().statusCode(400).extract().jsonPath(), "parts");
        problem(refresh(sha256Id, List.of(Map.of("part_number", 1))).then().statusCode(400).extract().jsonPath(),
                "parts[0].checksum_sha256");
        Map<String, Object> noChecksum = sha256InitBody("bound2.bin", file.length, PART_SIZE);
        noChecksum.put("parts", List.of(Map.of("part_number", 1)));
        StorageInspector.Mark mark = storage.mark();
        given().contentType(ContentType.JSON).body(noChecksum).post("/api/upload/init").then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(storage.openUploadsStartedSince(mark)).as("a refused init starts no multipart upload").isEmpty();

        JsonPath plain = init(initBody("plain.bin", file.length, PART_SIZE));
        String plainId = plain.getString("file_id");
        assertThat(plain.getString("checksum_algorithm")).isNull();
        assertThat(headersOf(plain, 1)).doesNotContainKey("x-amz-checksum-sha256");
        assertThat(signedHeaders(urlOf(plain, 1))).contains("content-length").doesNotContain("x-amz-checksum-sha256");
        problem(refresh(plainId, List.of(partWithChecksum(1, TestFiles.sha256Base64(TestFiles.part(file, PART_SIZE, 1)))))
                .then().statusCode(400).extract().jsonPath(), "parts[0].checksum_sha256");
        CreateMultipartUploadRequest created = (CreateMultipartUploadRequest) S3RequestRecorder
                .sent(CreateMultipartUploadRequest.class).stream().filter(sent -> sent.request() instanceof
                        CreateMultipartUploadRequest create && create.key().equals(objectKey(plainId)))
                .findFirst().orElseThrow().request();
        assertThat(created.checksumAlgorithm()).isNull();

        // One byte more or less than the part's size: storage refuses the body and holds nothing.
        byte[] part1 = TestFiles.part(file, PART_SIZE, 1);
        assertThat(PartSender.put(urlOf(plain, 1), headersOf(plain, 1), java.util.Arrays.copyOf(part1, part1.length + 1))
                .accepted()).isFalse();
        assertThat(PartSender.put(urlOf(plain, 1), headersOf(plain, 1), java.util.Arrays.copyOf(part1, part1.length - 1))
                .accepted()).isFalse();
        assertThat(status(plainId).getList("uploaded_parts")).isEmpty();

        Map<Integer, String> etags = new TreeMap<>();
        etags.put(1, put(plain, 1, part1));
        etags.put(2, put(plain, 2, TestFiles.part(file, PART_SIZE, 2)));
        JsonPath done = complete(plainId, etags).then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("object_checksum_sha256")).isNull();
        assertThat(storage.object(objectKey(plainId))).isEqualTo(file);
        String completeBody = S3RequestRecorder.sent(CompleteMultipartUploadRequest.class).stream()
                .filter(sent -> ((CompleteMultipartUploadRequest) sent.request()).key().equals(objectKey(plainId)))
                .findFirst().orElseThrow().body();
        assertThat(completeBody).doesNotContain("Checksum");
    }

    @Test
    void aCompleteNamingAnotherChecksumIsRefusedAndTheUploadStaysResumable() {
        byte[] file = TestFiles.randomBytes(1000, 84);
        Map<String, Object> body = sha256InitBody("small.bin", file.length, PART_SIZE);
        body.put("parts", List.of(partWithChecksum(1, TestFiles.sha256Base64(file))));
        JsonPath started = init(body);
        String fileId = started.getString("file_id");
        String etag = put(started, 1, file);
        Map<String, Object> wrong = Map.of("file_id", fileId, "parts", List.of(Map.of("part_number", 1, "etag", etag,
                "checksum_sha256", TestFiles.sha256Base64(new byte[3]))));
        JsonPath problem = given().contentType(ContentType.JSON).body(wrong).post("/api/upload/complete").then()
                .statusCode(409).extract().jsonPath();
        assertThat(problem.getString("parts[0].problem")).isEqualTo("checksum_sha256 does not match the part storage holds");
        assertThat(status(fileId).getString("upload_status")).isEqualTo("uploading");
        assertThat(storage.objectExists(objectKey(fileId))).isFalse();
        complete(fileId, Map.of(1, etag)).then().statusCode(200);
        assertThat(storage.object(objectKey(fileId))).isEqualTo(file);
    }

    private static String put(JsonPath answer, int partNumber, byte[] bytes) {
        PartSender.Answer sent = PartSender.put(urlOf(answer, partNumber), headersOf(answer, partNumber), bytes);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        return sent.etag();
    }

    private static void problem(JsonPath problem, String field) {
        assertThat(problem.getList("errors.field", String.class)).contains(field);
    }

    private String objectKey(String fileId) {
        return storage.objectKey(UUID.fromString(fileId));
    }

    private static List<String> signedHeaders(String url) {
        String query = url.substring(url.indexOf('?') + 1);
        for (String pair : query.split("&")) {
            if (pair.startsWith("X-Amz-SignedHeaders=")) {
                return List.of(URLDecoder.decode(pair.substring(20), StandardCharsets.UTF_8).split(";"));
            }
        }
        return List.of();
    }
}
