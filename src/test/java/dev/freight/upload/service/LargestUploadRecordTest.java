package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.metrics.UploadMetrics;
import dev.freight.support.DynamoDbRequestRecorder;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.Download;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.storage.ItemSize;
import dev.freight.upload.storage.DynamoDbUploadRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The largest upload Freight accepts, end to end through the upload rules and the real record store on the test
 * DynamoDB: 10,000 SHA-256 parts of S3's minimum size and the largest metadata, completed, then downloaded by parts.
 * Object storage is the in-memory port ({@link InMemoryStorage}, held to S3's multipart rules): 10,000 parts of
 * 5 MiB are ~49 GiB, too much for S3Proxy in a test. Every item the store sent is sized by AWS's rules
 * ({@link ItemSize}), as the test DynamoDB may not enforce the 400 KB limit itself.
 */
@QuarkusTest
class LargestUploadRecordTest {

    private static final String OWNER = "largest-record-owner";
    private static final String WIDEST = new String(Character.toChars(0x1F4E6));

    @Inject
    DynamoDbUploadRecords records;

    @Inject
    FreightConfig config;

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void tenThousandDigestsAndTheLargestMetadataAreRecordedAndDownloadedByParts() {
        InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
        UploadService uploads = service(storage);
        long partSize = config.upload().minPartSize();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int entry = 0; entry < 32; entry++) {
            metadata.put(String.format("%03d", entry) + "k".repeat(125), WIDEST.repeat(1024));
        }
        NewUpload largest = new NewUpload(WIDEST.repeat(255), "application/octet-stream",
                partSize * S3Limits.MAX_PARTS, WIDEST.repeat(128), null, partSize, ChecksumAlgorithm.SHA256, null,
                metadata, List.of());
        int sentBefore = DynamoDbRequestRecorder.sent().size();

        Upload started = uploads.init(OWNER, null, largest, null).upload();
        assertThat(started.partCount()).isEqualTo(S3Limits.MAX_PARTS);
        List<String> digests = new ArrayList<>();
        List<ClaimedPart> claimed = new ArrayList<>();
        for (int part = 1; part <= S3Limits.MAX_PARTS; part++) {
            String digest = digest(part);
            digests.add(digest);
            claimed.add(new ClaimedPart(part, storage.putPartOfSize(started.uploadId(), part, partSize, digest),
                    digest));
        }
        Upload done = uploads.complete(OWNER, started.fileId(), claimed).upload();

        assertThat(done.status()).isEqualTo(UploadStatus.UPLOADED);
        assertThat(done.objectChecksum()).endsWith("-10000");
        Map<String, AttributeValue> record = item(started.fileId().toString());
        assertThat(record.get("upload_status").s()).isEqualTo("uploaded");
        assertThat(record).doesNotContainKey("part_sha256s").containsKey("metadata");
        assertThat(record.get("metadata").m()).hasSize(32);
        assertThat(item("parts#" + started.fileId()).get("part_sha256s").b().asByteArray()).hasSize(320_000);
        List<Long> written = writtenItemSizes(DynamoDbRequestRecorder.sent().subList(sentBefore,
                DynamoDbRequestRecorder.sent().size()), started.fileId());
        assertThat(written).as("every item written for the upload, sized as DynamoDB counts").isNotEmpty()
                .allSatisfy(size -> assertThat(size).isLessThan(ItemSize.MAX_ITEM_BYTES - 32 * 1024L));
        assertThat(written.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("the largest is the digest item").isGreaterThan(320_000L);

        Upload readBack = records.find(started.fileId()).orElseThrow();
        assertThat(readBack.metadata()).isEqualTo(metadata);
        assertThat(readBack.partChecksums()).as("a status read does not carry 320 KB of digests").isEmpty();
        List<Download.Part> byParts = allPages(uploads, started.fileId());
        assertThat(byParts).hasSize(S3Limits.MAX_PARTS).extracting(Download.Part::checksumSha256)
                .isEqualTo(digests);
        assertThat(byParts.get(9_999).offset()).isEqualTo(9_999 * partSize);

        // Before: the previous version kept the digests in the record itself, an item DynamoDB refuses.
        Map<String, AttributeValue> oldShape = new LinkedHashMap<>(record);
        oldShape.put("part_sha256s", item("parts#" + started.fileId()).get("part_sha256s"));
        assertThat(ItemSize.of(oldShape)).isGreaterThan(ItemSize.MAX_ITEM_BYTES);
        assertThatThrownBy(() -> dynamoDb.putItem(put -> put.tableName(config.storage().table()).item(oldShape)))
                .isInstanceOf(DynamoDbException.class).extracting(failure -> ((DynamoDbException) failure).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aRecordWrittenWithItsDigestsInsideIsDownloadedByPartsWithThem() {
        InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
        UploadService uploads = service(storage);
        long partSize = config.upload().minPartSize();
        Upload started = uploads.init(OWNER, "Alice", new NewUpload("old.bin", "application/octet-stream",
                3 * partSize, null, null, partSize, ChecksumAlgorithm.SHA256, null, Map.of(), List.of()), null)
                .upload();
        List<ClaimedPart> claimed = new ArrayList<>();
        for (int part = 1; part <= 3; part++) {
            claimed.add(new ClaimedPart(part, storage.putPartOfSize(started.uploadId(), part, partSize, digest(part)),
                    digest(part)));
        }
        uploads.complete(OWNER, started.fileId(), claimed);
        // As the previous version wrote it: the digests inside the record, no item of their own.
        Map<String, AttributeValue> oldShape = new LinkedHashMap<>(item(started.fileId().toString()));
        oldShape.put("part_sha256s", item("parts#" + started.fileId()).get("part_sha256s"));
        dynamoDb.putItem(put -> put.tableName(config.storage().table()).item(oldShape));
        dynamoDb.deleteItem(delete -> delete.tableName(config.storage().table())
                .key(Map.of("file_id", AttributeValue.fromS("parts#" + started.fileId()))));

        assertThat(uploads.download(OWNER, started.fileId(), true, 1).parts()).extracting(Download.Part::checksumSha256)
                .containsExactly(digest(1), digest(2), digest(3));
    }

    /** Every page of a download by parts, followed as a client does. */
    private static List<Download.Part> allPages(UploadService uploads, UUID fileId) {
        List<Download.Part> parts = new ArrayList<>();
        Integer next = 1;
        while (next != null) {
            Download page = uploads.download(OWNER, fileId, true, next);
            parts.addAll(page.parts());
            next = page.nextPart();
        }
        return parts;
    }

    private UploadService service(InMemoryStorage storage) {
        UploadMetrics metrics = new UploadMetrics(new SimpleMeterRegistry());
        Clock clock = Clock.systemUTC();
        return new UploadService(storage, records, StateChanges.withoutEvents(records),
            dev.freight.webhook.PreCreateHook.none(), new FakeSigner(), new PartUrlIssuer(new FakeSigner(), metrics,
                config), new Reconciler(storage, records, StateChanges.withoutEvents(records), metrics, clock, config), new Assemblies(config),
                new UploadTokens(config.upload().tokenKeys().orElseThrow(), clock), metrics, clock, config);
    }

    private Map<String, AttributeValue> item(String key) {
        return dynamoDb.getItem(get -> get.tableName(config.storage().table()).consistentRead(true)
                .key(Map.of("file_id", AttributeValue.fromS(key)))).item();
    }

    /** The size of every item written under the upload's keys (its record and its digest item). */
    private static List<Long> writtenItemSizes(List<SdkRequest> sent, UUID fileId) {
        List<String> keys = List.of(fileId.toString(), "parts#" + fileId);
        return sent.stream().flatMap(request -> {
            if (request instanceof PutItemRequest put) {
                return Stream.of(put.item());
            }
            if (request instanceof TransactWriteItemsRequest transaction) {
                return transaction.transactItems().stream().map(TransactWriteItem::put)
                        .filter(java.util.Objects::nonNull).map(software.amazon.awssdk.services.dynamodb.model.Put::item);
            }
            return Stream.empty();
        }).filter(item -> keys.contains(item.get("file_id").s())).map(ItemSize::of).toList();
    }

    private static String digest(int part) {
        byte[] digest = new byte[32];
        digest[0] = (byte) part;
        digest[1] = (byte) (part >> 8);
        digest[31] = 7;
        return Base64.getEncoder().encodeToString(digest);
    }
}
