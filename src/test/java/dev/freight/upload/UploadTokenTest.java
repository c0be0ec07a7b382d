package dev.freight.upload;

import static dev.freight.support.FreightApi.abort;
import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.headersOf;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.partWithChecksum;
import static dev.freight.support.FreightApi.sha256InitBody;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.DynamoDbRequestRecorder;
import dev.freight.support.PartSender;
import dev.freight.support.S3RequestRecorder;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.UploadGrant;
import dev.freight.upload.service.UploadTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code upload_token}: init and status hand it out, refresh_urls with it signs part URLs without a single DynamoDB
 * or S3 call (counted), keeps every part-list rule, refuses forged, expired and foreign tokens, and storage refuses
 * what it signed once the upload ended.
 */
@QuarkusTest
class UploadTokenTest {

    private static final long PART_SIZE = 5L * MIB;

    @Inject
    StorageInspector storage;
    @Inject
    UploadTokens tokens;

    @Test
    void withTheTokenEachPartIsSignedWithoutAnyStorageCallAndTheUploadCompletes() {
        byte[] file = TestFiles.randomBytes((int) (2 * PART_SIZE) + 4321, 141);
        List<String> digests = TestFiles.partDigests(file, PART_SIZE, 3);
        JsonPath started = init(sha256InitBody("token.bin", file.length, PART_SIZE));
        String fileId = started.getString("file_id");
        String token = started.getString("upload_token");
        assertThat(token).startsWith("ft1.");
        assertThat(status(fileId).getString("upload_token")).as("status hands the token back").isNotBlank();

        Map<Integer, String> etags = new TreeMap<>();
        for (int partNumber = 1; partNumber <= 3; partNumber++) {
            int s3Before = S3RequestRecorder.all().size();
            int dynamoBefore = DynamoDbRequestRecorder.sent().size();
            JsonPath signed = refresh(fileId, token, List.of(partWithChecksum(partNumber, digests.get(partNumber - 1))))
                    .then().statusCode(200).extract().jsonPath();
            assertThat(S3RequestRecorder.all()).as("S3 calls of refresh_urls with a token").hasSize(s3Before);
            assertThat(DynamoDbRequestRecorder.sent()).as("DynamoDB calls of refresh_urls with a token")
                    .hasSize(dynamoBefore);
            assertThat(signed.getLong("parts[0].size")).isEqualTo(partNumber == 3 ? 4321 : PART_SIZE);
            assertThat(headersOf(signed, partNumber)).containsEntry("x-amz-checksum-sha256",
                    digests.get(partNumber - 1));
            byte[] bytes = TestFiles.part(file, PART_SIZE, partNumber);
            if (partNumber == 2) {
                // The URL is bound to the digest: other bytes of the same size are refused.
                byte[] other = bytes.clone();
                other[0] ^= 1;
                assertThat(PartSender.put(urlOf(signed, 2), headersOf(signed, 2), other).accepted()).isFalse();
            }
            PartSender.Answer sent = PartSender.put(urlOf(signed, partNumber), headersOf(signed, partNumber), bytes);
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            etags.put(partNumber, sent.etag());
        }
        // Without a token, today's path reads the record.
        int dynamoBefore = DynamoDbRequestRecorder.sent().size();
        refresh(fileId, null, List.of(partWithChecksum(1, digests.get(0)))).then().statusCode(200);
        assertThat(DynamoDbRequestRecorder.sent().size()).isGreaterThan(dynamoBefore);
        assertThat(DynamoDbRequestRecorder.sentOnEventLoop()).as("reads on the event loop (refresh_urls runs there"
                + " with a token, hands storage reads to a worker)").isEmpty();

        JsonPath done = complete(fileId, etags).then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("upload_status")).isEqualTo("uploaded");
        assertThat(done.getString("upload_token")).as("an ended upload has no token").isNull();
        assertThat(storage.object(storage.objectKey(UUID.fromString(fileId)))).isEqualTo(file);
    }

    @Test
    void thePartListRulesHoldOnTheTokenPath() {
        JsonPath sha = init(sha256InitBody("rules.bin", 2 * PART_SIZE, PART_SIZE));
        String shaId = sha.getString("file_id");
        String shaToken = sha.getString("upload_token");
        fields(refresh(shaId, shaToken, null), 400).contains("parts");
        fields(refresh(shaId, shaToken, List.of(Map.of("part_number", 1))), 400).contains("parts[0].checksum_sha256");
        fields(refresh(shaId, shaToken, List.of(partWithChecksum(3, TestFiles.sha256Base64(new byte[1])))), 400)
                .contains("parts[0].part_number");
        fields(refresh(shaId, shaToken, List.of(partWithChecksum(1, TestFiles.sha256Base64(new byte[1])),
                partWithChecksum(1, TestFiles.sha256Base64(new byte[2])))), 400).contains("parts[1].part_number");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int partNumber = 1; partNumber <= 101; partNumber++) {
            tooMany.add(partWithChecksum(partNumber, TestFiles.sha256Base64(new byte[partNumber])));
        }
        fields(refresh(shaId, shaToken, tooMany), 400).contains("parts");

        JsonPath plain = init(initBody("plain.bin", 2 * PART_SIZE + 1, PART_SIZE));
        String plainId = plain.getString("file_id");
        String plainToken = plain.getString("upload_token");
        fields(refresh(plainId, plainToken, List.of(partWithChecksum(1, TestFiles.sha256Base64(new byte[1])))), 400)
                .contains("parts[0].checksum_sha256");
        JsonPath listed = refresh(plainId, plainToken, List.of(Map.of("part_number", 3))).then().statusCode(200)
                .extract().jsonPath();
        assertThat(listed.getLong("parts[0].size")).isEqualTo(1);
        assertThat(headersOf(listed, 3)).isEmpty();
        // Without parts, only storage knows what is missing: the token is checked, then storage is asked.
        JsonPath missing = refresh(plainId, plainToken, null).then().statusCode(200).extract().jsonPath();
        assertThat(missing.getList("parts.part_number", Integer.class)).containsExactly(1, 2, 3);
        fields(refresh(plainId, "ft1.forged.token", null), 400).contains("upload_token");
    }

    @Test
    void forgedExpiredAndOtherUploadsTokensAre400AndAnotherCallersIsTheSame404AsAnUnknownId() {
        JsonPath first = init(sha256InitBody("a.bin", PART_SIZE, PART_SIZE));
        String fileId = first.getString("file_id");
        String token = first.getString("upload_token");
        JsonPath second = init(sha256InitBody("b.bin", PART_SIZE, PART_SIZE));
        List<Map<String, Object>> parts = List.of(partWithChecksum(1, TestFiles.sha256Base64(new byte[5])));

        assertThat(problem(refresh(fileId, second.getString("upload_token"), parts), 400).getString("detail"))
                .contains("another upload");
        // One character of the payload changed: the MAC no longer matches.
        int at = "ft1.".length() + 10;
        String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThat(problem(refresh(fileId, altered, parts), 400).getList("errors.field")).contains("upload_token");
        assertThat(problem(refresh(fileId, "not-a-token", parts), 400).getList("errors.field"))
                .contains("upload_token");
        UploadGrant real = grant(fileId, first, "anonymous", Instant.now().plusSeconds(3600));
        String otherKey = new UploadTokens(List.of("b3RoZXIta2V5LW5vdC10aGUtc2VydmVycy0wMTIzNDU2Nzg5"),
                Clock.systemUTC()).issue(real);
        assertThat(problem(refresh(fileId, otherKey, parts), 400).getList("errors.field")).contains("upload_token");

        String expired = tokens.issue(grant(fileId, first, "anonymous", Instant.now().minusSeconds(1)));
        assertThat(problem(refresh(fileId, expired, parts), 400).getString("detail")).contains("expired");

        String foreign = tokens.issue(grant(fileId, first, "somebody-else", Instant.now().plusSeconds(3600)));
        JsonPath notYours = problem(refresh(fileId, foreign, parts), 404);
        JsonPath unknown = problem(refresh(UUID.randomUUID().toString(), null, parts), 404);
        assertThat(notYours.getString("type")).isEqualTo(unknown.getString("type"));
        assertThat(notYours.getString("detail")).isEqualTo(unknown.getString("detail"));

        // The genuine token still signs, and the key after it (rotation) accepts tokens of the key before.
        refresh(fileId, token, parts).then().statusCode(200);
        UploadTokens rotated = new UploadTokens(List.of("bmV3LWtleS1hZnRlci1yb3RhdGlvbi0wMTIzNDU2Nzg5YWJj",
                "ZnJlaWdodC10ZXN0LXVwbG9hZC10b2tlbi1rZXktcHVibGljLTE="), Clock.systemUTC());
        assertThat(rotated.verify(token, UUID.fromString(fileId), "anonymous").uploadId())
                .isEqualTo(first.getString("upload_id"));
        assertThat(tokens.verify(token, UUID.fromString(fileId), "anonymous").expiresAt())
                .isEqualTo(Instant.parse(status(fileId).getString("expires_at")).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void storageRefusesUrlsSignedForAnUploadThatWasAbortedOrCompletedMeanwhile() {
        byte[] file = TestFiles.randomBytes(1000, 142);
        List<Map<String, Object>> parts = List.of(partWithChecksum(1, TestFiles.sha256Base64(file)));
        JsonPath aborted = init(sha256InitBody("aborted.bin", file.length, PART_SIZE));
        abort(aborted.getString("file_id")).then().statusCode(204);
        JsonPath afterAbort = refresh(aborted.getString("file_id"), aborted.getString("upload_token"), parts).then()
                .statusCode(200).extract().jsonPath();
        PartSender.Answer refused = PartSender.put(urlOf(afterAbort, 1), headersOf(afterAbort, 1), file);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.body()).contains("NoSuchUpload");

        Map<String, Object> body = sha256InitBody("completed.bin", file.length, PART_SIZE);
        body.put("parts", parts);
        JsonPath completed = init(body);
        String fileId = completed.getString("file_id");
        PartSender.Answer sent = PartSender.put(urlOf(completed, 1), headersOf(completed, 1), file);
        complete(fileId, Map.of(1, sent.etag())).then().statusCode(200);
        JsonPath afterComplete = refresh(fileId, completed.getString("upload_token"), parts).then().statusCode(200)
                .extract().jsonPath();
        PartSender.Answer late = PartSender.put(urlOf(afterComplete, 1), headersOf(afterComplete, 1), file);
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.body()).contains("NoSuchUpload");
        assertThat(storage.object(storage.objectKey(UUID.fromString(fileId)))).isEqualTo(file);
    }

    private static UploadGrant grant(String fileId, JsonPath started, String owner, Instant expiresAt) {
        return new UploadGrant(owner, UUID.fromString(fileId), started.getString("upload_id"), fileId, PART_SIZE,
                started.getLong("part_size"), started.getInt("part_count"), ChecksumAlgorithm.SHA256, expiresAt);
    }

    private static Response refresh(String fileId, String token, List<Map<String, Object>> parts) {
        Map<String, Object> body = new HashMap<>();
        body.put("file_id", fileId);
        if (token != null) {
            body.put("upload_token", token);
        }
        if (parts != null) {
            body.put("parts", parts);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/upload/refresh_urls");
    }

    private static JsonPath problem(Response response, int status) {
        return response.then().statusCode(status).contentType("application/problem+json").extract().jsonPath();
    }

    private static org.assertj.core.api.ListAssert<String> fields(Response response, int status) {
        return assertThat(problem(response, status).getList("errors.field", String.class));
    }
}
