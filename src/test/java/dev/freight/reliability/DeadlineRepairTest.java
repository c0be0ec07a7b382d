package dev.freight.reliability;

import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
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
import dev.freight.upload.storage.DynamoDbUploadRecords;
import dev.freight.upload.storage.MetadataMigrations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Crash, then the client walks away: the multipart upload is gone from S3 (assembled by a complete that died before
 * recording it, or aborted), nobody calls the API again, and the deadline passes. The sweep finds the record through
 * the deadline index (not through S3's open uploads, where it no longer is) and settles it.
 */
@QuarkusTest
@TestProfile(AbandonedUploadTest.ShortDeadline.class)
class DeadlineRepairTest {

    @Inject
    S3Client s3;

    @Inject
    FreightConfig config;

    @Inject
    StorageInspector storage;

    @Inject
    DynamoDbUploadRecords records;

    @Inject
    MetadataMigrations migrations;

    @Inject
    AbandonedUploadSweeper sweeper;

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void aFileAssembledBehindTheServicesBackIsRecordedUploadedByTheSweepOnceItsDeadlinePassed()
            throws InterruptedException {
        byte[] file = TestFiles.randomBytes(4000, 80);
        JsonPath started = init(initBody("walked-away.bin", file.length, null));
        String fileId = started.getString("file_id");
        String uploadId = started.getString("upload_id");
        String key = storage.objectKey(UUID.fromString(fileId));
        String partEtag = PartSender.put(urlOf(started, 1), Map.of(), file).etag();
        // What a complete does in S3 before it records anything; then the process dies and the client never returns.
        String etag = s3.completeMultipartUpload(request -> request.bucket(config.storage().bucket()).key(key)
                .uploadId(uploadId).multipartUpload(upload -> upload.parts(part -> part.partNumber(1).eTag(partEtag))))
                .eTag();
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploading");
        assertThat(storage.item(fileId).orElseThrow()).containsKeys("deadline_shard", "deadline_sort");
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isFalse();

        Thread.sleep(2_500);
        assertThat(records.pastDeadline(Instant.now(), 10_000)).contains(UUID.fromString(fileId));
        AbandonedUploadSweeper.Run run = sweeper.run();

        assertThat(run.ran()).isTrue();
        assertThat(run.repaired()).isGreaterThanOrEqualTo(1);
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploaded");
        assertThat(storage.itemString(fileId, "etag")).isEqualTo(etag);
        // Kept for good, and out of the deadline index.
        assertThat(storage.item(fileId).orElseThrow()).doesNotContainKeys("expires_at", "deadline_shard",
                "deadline_sort");
        assertThat(records.pastDeadline(Instant.now(), 10_000)).doesNotContain(UUID.fromString(fileId));
        assertThat(storage.object(key)).isEqualTo(file);
        JsonPath shown = status(fileId);
        assertThat(shown.getString("upload_status")).isEqualTo("uploaded");
        assertThat(shown.getString("etag")).isEqualTo(etag);
    }

    @Test
    void aRecordWrittenBeforeTheDeadlineIndexIsReachedOnceTheBackfillGaveItTheIndexKeys() throws InterruptedException {
        JsonPath started = init(initBody("from-before.bin", 2000, null));
        String fileId = started.getString("file_id");
        String uploadId = started.getString("upload_id");
        String key = storage.objectKey(UUID.fromString(fileId));
        // As an older version wrote it: no deadline keys. Its multipart upload is gone, so S3's list cannot lead to it.
        dynamoDb.updateItem(update -> update.tableName(config.storage().table())
                .key(Map.of("file_id", AttributeValue.fromS(fileId))).updateExpression("REMOVE deadline_shard, deadline_sort"));
        s3.abortMultipartUpload(request -> request.bucket(config.storage().bucket()).key(key).uploadId(uploadId));
        Thread.sleep(2_500);
        assertThat(records.pastDeadline(Instant.now(), 10_000)).doesNotContain(UUID.fromString(fileId));
        sweeper.run();
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploading");

        assertThat(migrations.backfillDeadlineKeys()).isGreaterThanOrEqualTo(1);
        assertThat(migrations.backfillDeadlineKeys()).as("run again: nothing left to do").isZero();
        assertThat(storage.item(fileId).orElseThrow()).containsKeys("deadline_shard", "deadline_sort");
        assertThat(records.pastDeadline(Instant.now(), 10_000)).contains(UUID.fromString(fileId));
        sweeper.run();

        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("failed");
        assertThat(storage.item(fileId).orElseThrow()).doesNotContainKeys("deadline_shard", "deadline_sort");
    }

    @Test
    void anUploadWhosePartsWereAbortedEndsFailedByTheSweepOnceItsDeadlinePassed() throws InterruptedException {
        byte[] file = TestFiles.randomBytes(3000, 81);
        JsonPath started = init(initBody("dead.bin", file.length, null));
        String fileId = started.getString("file_id");
        String uploadId = started.getString("upload_id");
        String key = storage.objectKey(UUID.fromString(fileId));
        PartSender.put(urlOf(started, 1), Map.of(), file);
        s3.abortMultipartUpload(request -> request.bucket(config.storage().bucket()).key(key).uploadId(uploadId));

        Thread.sleep(2_500);
        AbandonedUploadSweeper.Run run = sweeper.run();

        assertThat(run.ran()).isTrue();
        assertThat(run.repaired()).isGreaterThanOrEqualTo(1);
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("failed");
        assertThat(storage.item(fileId).orElseThrow()).containsKey("expires_at")
                .doesNotContainKeys("deadline_shard", "deadline_sort");
        assertThat(storage.objectExists(key)).isFalse();
        assertThat(storage.hasOpenMultipartUpload(uploadId)).isFalse();
        assertThat(records.pastDeadline(Instant.now(), 10_000)).doesNotContain(UUID.fromString(fileId));
    }

    /**
     * DynamoDB's TTL deletes an item once its time passes, whatever holds it: a record still counted against its
     * owner's quota must not carry one, or a repair that comes later finds nothing and the quota is never given back.
     */
    @Test
    void aRecordHoldingQuotaHasNoTtlUntilItsEndingGivesTheQuotaBack() throws InterruptedException {
        JsonPath started = init(initBody("ttl-first.bin", 2000, null));
        String fileId = started.getString("file_id");
        assertThat(storage.item(fileId).orElseThrow()).containsKey("quota_bytes").doesNotContainKey("expires_at");
        // As versions before wrote it: a TTL already due (deadline and retention past) while its quota still counts.
        dynamoDb.updateItem(update -> update.tableName(config.storage().table())
                .key(Map.of("file_id", AttributeValue.fromS(fileId))).updateExpression("SET expires_at = :due")
                .expressionAttributeValues(Map.of(":due",
                        AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(3600).getEpochSecond())))));
        assertThat(migrations.backfillQuotaTtl()).isGreaterThanOrEqualTo(1);
        assertThat(migrations.backfillQuotaTtl()).as("run again: nothing left to do").isZero();
        assertThat(storage.item(fileId).orElseThrow()).containsKey("quota_bytes").doesNotContainKey("expires_at");
        long openBefore = storage.quotaCounters("anonymous").get("open_uploads");

        Thread.sleep(2_500);
        AbandonedUploadSweeper.Run run = sweeper.run();

        assertThat(run.repaired()).isGreaterThanOrEqualTo(1);
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("failed");
        // Given back in the ending's transaction (the record's quota_bytes and the counter go together), and only
        // now does the record get its TTL.
        assertThat(storage.item(fileId).orElseThrow()).doesNotContainKey("quota_bytes").containsKey("expires_at");
        assertThat(storage.quotaCounters("anonymous").get("open_uploads")).isLessThanOrEqualTo(openBefore - 1);
    }
}
