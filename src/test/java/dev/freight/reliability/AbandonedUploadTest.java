package dev.freight.reliability;

import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.upload.service.AbandonedUploadSweeper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.S3Client;

/** Unfinished uploads past their deadline fail, lose their parts, and their records expire after a grace period. */
@QuarkusTest
@TestProfile(AbandonedUploadTest.ShortDeadline.class)
class AbandonedUploadTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freight.upload.expire-after", "PT2S", "freight.upload.ended-retention", "PT1H",
                    "freight.upload.sweep-interval", "1h");
        }
    }

    @Inject
    StorageInspector storage;

    @Inject
    AbandonedUploadSweeper sweeper;

    @Inject
    S3Client s3;

    @Inject
    FreightConfig config;

    @Test
    void anExpiredUploadIsReportedFailedOnAccess() throws InterruptedException {
        byte[] file = TestFiles.randomBytes(1000, 70);
        JsonPath started = init(initBody("late.bin", file.length, null));
        String fileId = started.getString("file_id");
        PartSender.put(urlOf(started, 1), Map.of(), file);
        // No TTL while the record holds quota; the ending that gives it back sets one.
        assertThat(storage.item(fileId).orElseThrow()).containsKey("quota_bytes").doesNotContainKey("expires_at");

        Thread.sleep(2_500);
        JsonPath expired = status(fileId);
        assertThat(expired.getString("upload_status")).isEqualTo("failed");
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("failed");
        assertThat(storage.hasOpenMultipartUpload(started.getString("upload_id"))).isFalse();
        assertThat(Instant.ofEpochSecond(Long.parseLong(storage.itemString(fileId, "expires_at"))))
                .isBetween(Instant.now().plusSeconds(3000), Instant.now().plusSeconds(3700));
        given().contentType("application/json").body(Map.of("file_id", fileId)).post("/api/upload/refresh_urls")
                .then().statusCode(409);
    }

    @Test
    void theSweeperAbortsAbandonedAndOrphanedMultipartUploads() throws InterruptedException {
        JsonPath started = init(initBody("forgotten.bin", 1000, null));
        String fileId = started.getString("file_id");
        // An orphan: a multipart upload whose init never got to write its record.
        String orphanKey = UUID.randomUUID().toString();
        String orphanUploadId = s3.createMultipartUpload(request -> request.bucket(config.storage().bucket())
                .key(orphanKey)).uploadId();
        // Not Freight's key: left alone.
        String foreignUploadId = s3.createMultipartUpload(request -> request.bucket(config.storage().bucket())
                .key("someone-else/file")).uploadId();

        Thread.sleep(2_500);
        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(2);

        assertThat(storage.hasOpenMultipartUpload(started.getString("upload_id"))).isFalse();
        assertThat(storage.hasOpenMultipartUpload(orphanUploadId)).isFalse();
        assertThat(storage.hasOpenMultipartUpload(foreignUploadId)).isTrue();
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("failed");
        s3.abortMultipartUpload(request -> request.bucket(config.storage().bucket()).key("someone-else/file")
                .uploadId(foreignUploadId));
    }
}
