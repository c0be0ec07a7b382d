package dev.freight.companion;

import static dev.freight.support.FreightApi.status;
import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.upload.service.AbandonedUploadSweeper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Uppy Companion's S3 protocol on Freight's uploads, driven as Uppy drives it: a multipart upload without a size,
 * sized from storage at complete and counted against the quota then; a small file in a browser POST form whose
 * policy storage enforces, recorded once it arrived (status, listing, or the sweeper).
 */
@QuarkusTest
@TestProfile(CompanionProfile.class)
class CompanionRoutesTest {

    static final String BASE = "/companion/s3";

    @Inject
    StorageInspector storage;

    @Inject
    AbandonedUploadSweeper sweeper;

    @Test
    void aMultipartUploadWithoutASizeIsSizedAtCompleteAndRecordedLikeAnyOther() {
        byte[] file = TestFiles.randomBytes(5 * MIB + 100, 291);
        long openBytesBefore = openBytes();
        JsonPath started = start("clip.mov", "video/quicktime", Map.of("name", "clip.mov", "caption", "Rhine"));
        String key = started.getString("key");
        String uploadId = started.getString("uploadId");
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isTrue();
        JsonPath uploading = status(key);
        assertThat(uploading.getString("upload_status")).isEqualTo("uploading");
        assertThat(uploading.getLong("file_size")).isZero();
        assertThat(uploading.getMap("metadata")).containsEntry("caption", "Rhine");
        assertThat(openBytes()).isEqualTo(openBytesBefore);

        String firstEtag = put(signPart(uploadId, 1, key), TestFiles.part(file, 5 * MIB, 1));
        // Part URLs bind no size: the last part is whatever is left.
        String secondEtag = put(signPart(uploadId, 2, key), TestFiles.part(file, 5 * MIB, 2));
        List<Map<String, Object>> listed = given().queryParam("key", key).get(BASE + "/multipart/" + uploadId)
                .then().statusCode(200).extract().jsonPath().getList("");
        assertThat(listed).extracting(part -> part.get("PartNumber"), part -> ((Number) part.get("Size")).longValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 5L * MIB),
                        org.assertj.core.groups.Tuple.tuple(2, 100L));

        // Uppy sends ETags as storage answered them: quoted or not, both are taken.
        JsonPath done = complete(uploadId, key, List.of(part(1, firstEtag), part(2, secondEtag.replace("\"", ""))))
                .then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("key")).isEqualTo(key);
        assertThat(done.getString("location")).endsWith(key);
        assertThat(storage.object(key)).isEqualTo(file);
        JsonPath uploaded = status(key);
        assertThat(uploaded.getString("upload_status")).isEqualTo("uploaded");
        assertThat(uploaded.getLong("file_size")).isEqualTo(file.length);
        assertThat(uploaded.getString("filename")).isEqualTo("clip.mov");
        assertThat(openBytes()).isEqualTo(openBytesBefore);
        byte[] downloaded = PartSender.get(given().get("/api/download/" + key).then().statusCode(200).extract()
                .path("url"), Map.of()).body();
        assertThat(downloaded).isEqualTo(file);
        // Completing again answers the same file.
        complete(uploadId, key, List.of(part(1, firstEtag), part(2, secondEtag))).then().statusCode(200);
    }

    @Test
    void aSizeLearntAtCompleteMustFitTheOwnersOpenBytes() {
        JsonPath started = start("too-big.bin", "application/octet-stream", Map.of());
        String key = started.getString("key");
        String uploadId = started.getString("uploadId");
        byte[] part = TestFiles.randomBytes(5 * MIB, 297);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int partNumber = 1; partNumber <= 9; partNumber++) {
            parts.add(part(partNumber, put(signPart(uploadId, partNumber, key), part)));
        }
        long openBytesBefore = openBytes();

        JsonPath refused = complete(uploadId, key, parts).then().statusCode(403)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(refused.getString("type")).endsWith("/quota-exceeded");
        assertThat(refused.getString("limit")).isEqualTo("freight.quota.max-open-bytes");
        assertThat(openBytes()).isEqualTo(openBytesBefore);
        assertThat(status(key).getLong("file_size")).isZero();
        assertThat(status(key).getString("upload_status")).isEqualTo("uploading");
        assertThat(storage.objectExists(key)).isFalse();
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isTrue();
        given().queryParam("key", key).delete(BASE + "/multipart/" + uploadId).then().statusCode(200);
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isFalse();
    }

    @Test
    void completeRefusesPartsStorageDoesNotHoldAndChangesNothing() {
        byte[] file = TestFiles.randomBytes(5 * MIB + 10, 292);
        JsonPath started = start("gap.bin", "application/octet-stream", Map.of());
        String key = started.getString("key");
        String uploadId = started.getString("uploadId");
        String first = put(signPart(uploadId, 1, key), TestFiles.part(file, 5 * MIB, 1));

        JsonPath wrongEtag = complete(uploadId, key, List.of(part(1, "\"00000000000000000000000000000000\"")))
                .then().statusCode(409).contentType("application/problem+json").extract().jsonPath();
        assertThat(wrongEtag.getString("errors[0].message")).contains("etag");
        // A gap: part 3 without part 2.
        put(signPart(uploadId, 3, key), TestFiles.part(file, 5 * MIB, 2));
        JsonPath gap = complete(uploadId, key, List.of(part(1, first), part(3, "x"))).then().statusCode(409)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(gap.getString("detail")).contains("part 2 is missing");
        assertThat(storage.objectExists(key)).isFalse();
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isTrue();
        assertThat(status(key).getString("upload_status")).isEqualTo("uploading");

        given().queryParam("key", key).delete(BASE + "/multipart/" + uploadId).then().statusCode(200);
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isFalse();
        assertThat(status(key).getString("upload_status")).isEqualTo("aborted");
        given().queryParam("key", key).delete(BASE + "/multipart/" + uploadId).then().statusCode(200);
    }

    @Test
    void aBrowserPostFormStoresExactlyItsKeyUpToItsBoundAndTheUploadIsRecordedWhenAsked() {
        byte[] file = TestFiles.randomBytes(300_000, 293);
        long openBytesBefore = openBytes();
        JsonPath form = params("photo.jpg", "image/jpeg", Map.of("caption", "Alps"));
        assertThat(form.getString("method")).isEqualTo("POST");
        Map<String, String> fields = form.getMap("fields");
        String key = fields.get("key");
        assertThat(fields).containsKeys("policy", "x-amz-signature", "x-amz-credential", "x-amz-date")
                .containsEntry("Content-Type", "image/jpeg");
        JsonPath pending = status(key);
        assertThat(pending.getString("upload_status")).isEqualTo("uploading");
        // Counted at the form's bound until the file arrives.
        assertThat(pending.getLong("file_size")).isEqualTo(CompanionProfile.POST_MAX_SIZE);
        assertThat(openBytes()).isEqualTo(openBytesBefore + CompanionProfile.POST_MAX_SIZE);

        // Storage holds the policy: another key, or more bytes than the bound, is refused and nothing is stored.
        Map<String, String> otherKey = new LinkedHashMap<>(fields);
        otherKey.put("key", key + "-other");
        assertThat(BrowserForm.post(form.getString("url"), otherKey, file).statusCode()).isEqualTo(403);
        assertThat(storage.objectExists(key + "-other")).isFalse();
        Map<String, String> forged = new LinkedHashMap<>(fields);
        forged.put("x-amz-signature", "0".repeat(64));
        HttpResponse<String> forgedSent = BrowserForm.post(form.getString("url"), forged, file);
        // Refused by the signature check (S3Proxy answers it without AWS's SignatureDoesNotMatch body).
        assertThat(forgedSent.statusCode()).isEqualTo(403);
        HttpResponse<String> tooLarge = BrowserForm.post(form.getString("url"), fields,
                TestFiles.randomBytes(CompanionProfile.POST_MAX_SIZE + 1, 294));
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("EntityTooLarge");
        assertThat(storage.objectExists(key)).isFalse();
        assertThat(status(key).getString("upload_status")).isEqualTo("uploading");

        HttpResponse<String> sent = BrowserForm.post(form.getString("url"), fields, file);
        assertThat(sent.statusCode()).isBetween(200, 204);
        JsonPath arrived = status(key);
        assertThat(arrived.getString("upload_status")).isEqualTo("uploaded");
        assertThat(arrived.getLong("file_size")).isEqualTo(file.length);
        assertThat(arrived.getMap("metadata")).containsEntry("caption", "Alps");
        assertThat(storage.object(key)).isEqualTo(file);
        assertThat(openBytes()).isEqualTo(openBytesBefore);
        byte[] downloaded = PartSender.get(given().get("/api/download/" + key).then().statusCode(200).extract()
                .path("url"), Map.of()).body();
        assertThat(downloaded).isEqualTo(file);
    }

    @Test
    void browserPostsNobodyAskedAboutAreSettledByTheListingOrTheSweeper() throws InterruptedException {
        byte[] listedFile = TestFiles.randomBytes(1000, 295);
        byte[] sweptFile = TestFiles.randomBytes(2000, 296);
        JsonPath listedForm = params("listed.txt", "text/plain", Map.of());
        String listedKey = listedForm.getMap("fields").get("key").toString();
        HttpResponse<String> listedSent = BrowserForm.post(listedForm.getString("url"), listedForm.getMap("fields"),
                listedFile);
        assertThat(listedSent.statusCode()).as(listedSent.body()).isBetween(200, 204);
        JsonPath sweptForm = params("swept.txt", "text/plain", Map.of());
        String sweptKey = sweptForm.getMap("fields").get("key").toString();
        HttpResponse<String> sweptSent = BrowserForm.post(sweptForm.getString("url"), sweptForm.getMap("fields"),
                sweptFile);
        assertThat(sweptSent.statusCode()).as(sweptSent.body()).isBetween(200, 204);
        String unusedKey = params("unused.txt", "text/plain", Map.of()).getMap("fields").get("key").toString();
        long lastFormAsked = System.nanoTime();

        List<Map<String, Object>> listing = given().queryParam("author_name", "anonymous").queryParam("limit", 100)
                .get("/api/upload").then().statusCode(200).extract().jsonPath().getList("uploads");
        Map<String, Object> listed = listing.stream().filter(upload -> listedKey.equals(upload.get("file_id")))
                .findFirst().orElseThrow();
        assertThat(listed.get("upload_status")).isEqualTo("uploaded");
        assertThat(((Number) listed.get("file_size")).longValue()).isEqualTo(listedFile.length);

        // The forms expire after 8 s and their uploads are settled 8 s later: the sweeper asks storage.
        Thread.sleep(Math.max(0, 16_500 - (System.nanoTime() - lastFormAsked) / 1_000_000));
        sweeper.sweep();
        assertThat(storage.itemString(sweptKey, "upload_status")).isEqualTo("uploaded");
        assertThat(storage.itemString(sweptKey, "file_size")).isEqualTo(Integer.toString(sweptFile.length));
        assertThat(storage.itemString(unusedKey, "upload_status")).isEqualTo("failed");
        assertThat(status(unusedKey).getString("upload_status")).isEqualTo("failed");
    }

    @Test
    void corsPreflightsFromTheConfiguredOriginAreAnsweredForEveryMethodUppyUses() {
        for (String method : List.of("POST", "GET", "DELETE")) {
            var preflight = given().header("Origin", CompanionProfile.APP_ORIGIN)
                    .header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", "content-type")
                    .options(BASE + "/multipart/some-upload").then().extract();
            assertThat(preflight.statusCode()).as(method).isEqualTo(200);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(CompanionProfile.APP_ORIGIN);
            assertThat(preflight.header("Access-Control-Allow-Methods")).contains(method);
        }
        var other = given().header("Origin", "http://elsewhere.test").header("Access-Control-Request-Method", "POST")
                .options(BASE + "/multipart").then().extract();
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }

    private long openBytes() {
        return storage.quotaCounters("anonymous").getOrDefault("open_bytes", 0L);
    }

    static JsonPath start(String filename, String type, Map<String, Object> metadata) {
        return given().contentType("application/json")
                .body(Map.of("filename", filename, "type", type, "metadata", metadata))
                .post(BASE + "/multipart").then().statusCode(200).extract().jsonPath();
    }

    static String signPart(String uploadId, int partNumber, String key) {
        return given().queryParam("key", key).get(BASE + "/multipart/" + uploadId + "/" + partNumber).then()
                .statusCode(200).extract().path("url");
    }

    static String put(String url, byte[] bytes) {
        PartSender.Answer answer = PartSender.put(url, Map.of(), bytes);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.etag();
    }

    static Map<String, Object> part(int partNumber, String etag) {
        return Map.of("PartNumber", partNumber, "ETag", etag);
    }

    static io.restassured.response.Response complete(String uploadId, String key, List<Map<String, Object>> parts) {
        return given().contentType("application/json").queryParam("key", key)
                .body(Map.of("parts", new ArrayList<>(parts)))
                .post(BASE + "/multipart/" + uploadId + "/complete");
    }

    static JsonPath params(String filename, String type, Map<String, String> metadata) {
        var request = given().queryParam("filename", filename).queryParam("type", type);
        metadata.forEach((name, value) -> request.queryParam("metadata[" + name + "]", value));
        return request.get(BASE + "/params").then().statusCode(200).extract().jsonPath();
    }
}
