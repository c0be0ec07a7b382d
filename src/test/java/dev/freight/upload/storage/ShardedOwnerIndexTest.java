package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FreightException;
import dev.freight.support.TestConfig;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The sharded owner index and the open-uploads index on the DynamoDB engine, each test on a table of its own: one
 * owner's records spread over every shard and list newest first across pages; the resume listing examines only the
 * author's open uploads; and a table written by the previous version (records in the unsharded owner index) lists
 * them before and after the backfill moves them.
 */
@QuarkusTest
class ShardedOwnerIndexTest {

    private static final Instant EPOCH = Instant.parse("2026-12-01T00:00:00Z");

    @Inject
    DynamoDbClient dynamoDb;

    private final IndexShards shards = new IndexShards(16);

    /** The storage classes on a table of their own, built as the app builds them. */
    private record Store(String table, OwnerListing listing, MetadataMigrations migrations) {
    }

    private Store store() {
        String table = "sharded-" + UUID.randomUUID();
        FreightConfig config = TestConfig.withTable(table);
        DynamoDbCalls calls = new DynamoDbCalls(dynamoDb, config, StorageFailures.unobserved());
        new MetadataTable(calls).createTableIfMissing();
        return new Store(table, new OwnerListing(calls, new ListingTokens(Optional.empty(), List.of()), config),
                new MetadataMigrations(calls, new DeadlineIndex(calls, config), new QuotaRebalance(calls, new QuotaReads(calls), config), config));
    }

    @Test
    void oneOwnersRecordsSpreadOverEveryShardAndListNewestFirstAcrossPages() {
        Store store = store();
        List<Upload> alices = new ArrayList<>();
        for (int index = 0; index < 200; index++) {
            // Pairs of uploads started at the same instant: ties between shards, ordered by file id.
            Upload upload = upload("alice", "Ada", EPOCH.plusSeconds(index / 2), index % 3 == 0 ? UploadStatus.UPLOADING
                    : UploadStatus.UPLOADED);
            alices.add(upload);
            put(store, UploadItem.toItem(upload, shards));
            put(store, UploadItem.toItem(upload("bob", "Ada", EPOCH.plusSeconds(index), UploadStatus.UPLOADING), shards));
        }
        Set<String> partitions = new HashSet<>();
        for (Upload upload : alices) {
            partitions.add(item(store, upload).get(UploadItem.OWNER_SHARD).s());
        }
        assertThat(partitions).as("alice's records in every shard of her owner index").hasSize(16)
                .allMatch(partition -> partition.matches("alice#([0-9]|1[0-5])"));

        List<Upload> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            UploadPage page = store.listing().listByOwner("alice", null, null, 7, token);
            assertThat(page.uploads().size()).isLessThanOrEqualTo(7);
            listed.addAll(page.uploads());
            token = page.nextToken();
            pages++;
            if (pages == 1) {
                String first = token;
                assertThatThrownBy(() -> store.listing().listByOwner("bob", null, null, 7, first))
                        .as("alice's token presented by bob").isInstanceOf(FreightException.class);
            }
        } while (token != null);
        assertThat(listed).extracting(Upload::fileId).containsExactlyElementsOf(newestFirst(alices));
        assertThat(pages).isBetween(29, 30);
    }

    @Test
    void theResumeListingExaminesOnlyTheAuthorsOpenUploads() {
        Store store = store();
        List<Upload> adasOpen = new ArrayList<>();
        for (int index = 0; index < 600; index++) {
            // Ada's history: 500 ended uploads, then 3 open ones and 1 being assembled; Bob's 40 open ones beside.
            UploadStatus status = index < 500 ? (index % 2 == 0 ? UploadStatus.UPLOADED : UploadStatus.ABORTED)
                    : index < 503 ? UploadStatus.UPLOADING : index == 503 ? UploadStatus.COMPLETING : null;
            Upload upload = status != null ? upload("carol", "Ada", EPOCH.plusSeconds(index), status)
                    : index < 544 ? upload("carol", "Bob", EPOCH.plusSeconds(index), UploadStatus.UPLOADING) : null;
            if (upload != null) {
                put(store, UploadItem.toItem(upload, shards));
                if (status == UploadStatus.UPLOADING) {
                    adasOpen.add(upload);
                }
            }
        }
        OwnerListing.Listing resume = store.listing().read("carol", "Ada", UploadStatus.UPLOADING, 20, null);
        assertThat(resume.page().uploads()).extracting(Upload::fileId).containsExactlyElementsOf(newestFirst(adasOpen));
        assertThat(resume.page().nextToken()).isNull();
        // The three it shows and the one being assembled (filtered out): not Ada's 500 ended uploads, not Bob's 40.
        assertThat(resume.examined()).isEqualTo(4);

        OwnerListing.Listing bobs = store.listing().read("carol", "Bob", UploadStatus.UPLOADING, 50, null);
        assertThat(bobs.page().uploads()).hasSize(40);
        assertThat(bobs.examined()).isEqualTo(40);

        // Ending an upload takes it out of the open index: the next resume listing neither shows nor reads it.
        Upload aborted = adasOpen.get(0).ended(UploadStatus.ABORTED, EPOCH.plus(Duration.ofDays(9)));
        put(store, UploadItem.toItem(aborted, shards));
        assertThat(item(store, aborted)).doesNotContainKey(UploadItem.OPEN_SHARD).containsKey(UploadItem.OWNER_SHARD);
        OwnerListing.Listing after = store.listing().read("carol", "Ada", UploadStatus.UPLOADING, 20, null);
        assertThat(after.page().uploads()).hasSize(2).noneMatch(upload -> upload.fileId().equals(aborted.fileId()));
        assertThat(after.examined()).isEqualTo(3);

        // For contrast, a listing the open index cannot answer filters the owner's shards: the history is read.
        OwnerListing.Listing history = store.listing().read("carol", "Ada", UploadStatus.ABORTED, 20, null);
        assertThat(history.page().uploads()).hasSize(20).allMatch(upload -> upload.status() == UploadStatus.ABORTED);
        assertThat(history.examined()).isGreaterThan(100);
    }

    @Test
    void recordsWrittenByThePreviousVersionAreListedBeforeAndAfterTheBackfillMovesThem() {
        Store store = store();
        // The table as an upgrade leaves it: the new indexes added beside the previous version's owner index.
        dynamoDb.updateTable(update -> update.tableName(store.table())
                .attributeDefinitions(definition -> definition.attributeName(UploadItem.OWNER)
                        .attributeType(ScalarAttributeType.S), definition -> definition
                                .attributeName(UploadItem.INITIATED_SORT).attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(change -> change.create(create -> create.indexName(MetadataTable.OWNER_INDEX)
                        .keySchema(key -> key.attributeName(UploadItem.OWNER).keyType(KeyType.HASH),
                                key -> key.attributeName(UploadItem.INITIATED_SORT).keyType(KeyType.RANGE))
                        .projection(projection -> projection.projectionType(ProjectionType.ALL)))));
        List<Upload> all = new ArrayList<>();
        List<Upload> open = new ArrayList<>();
        List<Upload> old = new ArrayList<>();
        for (int index = 0; index < 60; index++) {
            UploadStatus status = index % 4 == 0 ? UploadStatus.UPLOADING : UploadStatus.UPLOADED;
            Upload upload = upload("dave", "Ada", EPOCH.plusSeconds(index), status);
            all.add(upload);
            if (status == UploadStatus.UPLOADING) {
                open.add(upload);
            }
            if (index % 2 == 0) {
                // Written by the previous version: owner index sort key, no sharded keys.
                Map<String, AttributeValue> item = UploadItem.toItem(upload, shards);
                item.keySet().removeAll(List.of(UploadItem.OWNER_SHARD, UploadItem.SHARD_SORT, UploadItem.OPEN_SHARD));
                item.put(UploadItem.INITIATED_SORT, UploadItem.string(UploadItem.sortable(upload.initiatedAt())));
                put(store, item);
                old.add(upload);
            } else {
                put(store, UploadItem.toItem(upload, shards));
            }
        }
        assertThat(listAll(store, null, null)).containsExactlyElementsOf(newestFirst(all));
        assertThat(listAll(store, "Ada", UploadStatus.UPLOADING)).containsExactlyElementsOf(newestFirst(open));

        assertThat(store.migrations().backfillListingKeys()).isEqualTo(old.size());
        for (Upload upload : old) {
            Map<String, AttributeValue> moved = item(store, upload);
            assertThat(moved).doesNotContainKey(UploadItem.INITIATED_SORT)
                    .containsEntry(UploadItem.OWNER_SHARD, UploadItem.string(shards.ownerPartition("dave",
                            shards.shardOf(upload.fileId()))));
            assertThat(moved.containsKey(UploadItem.OPEN_SHARD)).isEqualTo(upload.isOpen());
            // The rest of the record is as the previous version wrote it.
            assertThat(UploadItem.fromItem(moved)).isEqualTo(upload);
        }
        assertThat(dynamoDb.query(query -> query.tableName(store.table()).indexName(MetadataTable.OWNER_INDEX)
                .keyConditionExpression("#owner = :owner").expressionAttributeNames(Map.of("#owner", UploadItem.OWNER))
                .expressionAttributeValues(Map.of(":owner", UploadItem.string("dave")))).count())
                .as("nothing left in the old index").isZero();
        assertThat(listAll(store, null, null)).containsExactlyElementsOf(newestFirst(all));
        OwnerListing.Listing resume = store.listing().read("dave", "Ada", UploadStatus.UPLOADING, 50, null);
        assertThat(resume.page().uploads()).extracting(Upload::fileId).containsExactlyElementsOf(newestFirst(open));
        assertThat(resume.examined()).isEqualTo(open.size());
        assertThat(store.migrations().backfillListingKeys()).as("run again: nothing left to do").isZero();
    }

    private List<UUID> listAll(Store store, String author, UploadStatus status) {
        List<UUID> listed = new ArrayList<>();
        String token = null;
        do {
            UploadPage page = store.listing().listByOwner("dave", author, status, 9, token);
            page.uploads().forEach(upload -> listed.add(upload.fileId()));
            token = page.nextToken();
        } while (token != null);
        return listed;
    }

    private static List<UUID> newestFirst(List<Upload> uploads) {
        return uploads.stream().sorted(Comparator.comparing((Upload upload) -> upload.initiatedAt())
                .thenComparing(upload -> upload.fileId().toString()).reversed()).map(Upload::fileId).toList();
    }

    private static Upload upload(String owner, String author, Instant initiatedAt, UploadStatus status) {
        UUID fileId = UUID.randomUUID();
        Upload started = Upload.started(fileId, owner,
                new Upload.FileFacts("file.bin", "application/octet-stream", 10, author, initiatedAt, null, Map.of()),
                new Upload.PartTarget("upload-" + fileId, "uploads/" + fileId, new PartPlan(10, 5L << 20, 1),
                        ChecksumAlgorithm.NONE),
                initiatedAt, initiatedAt.plus(Duration.ofDays(7)), initiatedAt.plus(Duration.ofDays(8)), null);
        return switch (status) {
            case UPLOADING -> started;
            case COMPLETING -> started.completing(initiatedAt.plusSeconds(1));
            case UPLOADED -> started.completed("\"etag\"", null, List.of(), "uploads/" + fileId,
                    initiatedAt.plusSeconds(1));
            default -> started.ended(status, initiatedAt.plus(Duration.ofDays(9)));
        };
    }

    private void put(Store store, Map<String, AttributeValue> item) {
        dynamoDb.putItem(put -> put.tableName(store.table()).item(new HashMap<>(item)));
    }

    private Map<String, AttributeValue> item(Store store, Upload upload) {
        return dynamoDb.getItem(get -> get.tableName(store.table()).consistentRead(true)
                .key(DynamoDbCalls.key(upload.fileId()))).item();
    }
}
