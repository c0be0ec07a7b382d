package dev.freight.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.storage.QuotaCounters;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Reads S3 and DynamoDB directly, so tests can check what storage really holds. */
@ApplicationScoped
public class StorageInspector {

    private final S3Client s3;
    private final DynamoDbClient dynamoDb;
    private final FreightConfig config;

    StorageInspector(S3Client s3, DynamoDbClient dynamoDb, FreightConfig config) {
        this.s3 = s3;
        this.dynamoDb = dynamoDb;
        this.config = config;
    }

    /** The raw metadata item, attribute by attribute. */
    public Optional<Map<String, AttributeValue>> item(String fileId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(config.storage().table())
                .consistentRead(true).key(Map.of("file_id", AttributeValue.fromS(fileId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    public String itemString(String fileId, String attribute) {
        AttributeValue value = item(fileId).orElseThrow().get(attribute);
        return value == null ? null : value.s() != null ? value.s() : value.n();
    }

    /** The owner's quota counters (each numeric attribute), summed over its counter shards. */
    public Map<String, Long> quotaCounters(String owner) {
        Map<String, Long> sums = new HashMap<>();
        counterItems(owner).forEach(item -> item.forEach((name, value) -> {
            if (value.n() != null) {
                sums.merge(name, Long.parseLong(value.n()), Long::sum);
            }
        }));
        return sums;
    }

    /** Sets the open counts of every counter shard the owner has to zero. */
    public void zeroOpenQuota(String owner) {
        for (Map<String, AttributeValue> item : counterItems(owner)) {
            dynamoDb.updateItem(update -> update.tableName(config.storage().table())
                    .key(Map.of("file_id", item.get("file_id")))
                    .updateExpression("SET open_uploads = :zero, open_bytes = :zero")
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
        }
    }

    /** Every counter item the owner has (up to the configured shard count), read 100 keys a BatchGetItem. */
    private java.util.List<Map<String, AttributeValue>> counterItems(String owner) {
        java.util.List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
        int shards = config.quota().counterShards();
        for (int from = 0; from < shards; from += 100) {
            java.util.List<Map<String, AttributeValue>> keys = new java.util.ArrayList<>();
            for (int shard = from; shard < Math.min(shards, from + 100); shard++) {
                keys.add(Map.of("file_id", AttributeValue.fromS(QuotaCounters.counterKey(owner, shard))));
            }
            items.addAll(dynamoDb.batchGetItem(get -> get.requestItems(Map.of(config.storage().table(),
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys)
                            .consistentRead(true).build()))).responses().getOrDefault(config.storage().table(),
                                    java.util.List.of()));
        }
        return items;
    }

    /** Items other than the owners' quota counters (whose shards appear as owners first use them). */
    public long itemCountWithoutCounters() {
        return dynamoDb.scanPaginator(scan -> scan.tableName(config.storage().table()).select("COUNT")
                .filterExpression("NOT begins_with(file_id, :counter)")
                .expressionAttributeValues(Map.of(":counter", AttributeValue.fromS("quota")))).stream()
                .mapToLong(page -> page.count()).sum();
    }

    public long itemCount() {
        return dynamoDb.scanPaginator(scan -> scan.tableName(config.storage().table()).select("COUNT")).stream()
                .mapToLong(page -> page.count()).sum();
    }

    /** A point in the service's S3 traffic: {@link #openUploadsStartedSince} reads the uploads started after it. */
    public record Mark(int uploadsStarted) {
    }

    /** Now, for {@link #openUploadsStartedSince}. */
    public Mark mark() {
        return new Mark(S3RequestRecorder.startedUploads().size());
    }

    /**
     * The multipart uploads the service started since {@code mark} that storage still holds open: what the test's
     * own requests left in storage. Not a count of the bucket, which the whole test JVM shares: other tests leave
     * uploads there, and the sweeper, background assemblies and test code end or start theirs at any time (a count
     * taken twice around a refused init was seen one higher).
     */
    public List<String> openUploadsStartedSince(Mark mark) {
        List<String> started = S3RequestRecorder.startedUploads();
        List<String> since = started.subList(mark.uploadsStarted(), started.size());
        if (since.isEmpty()) {
            return List.of();
        }
        Set<String> open = openUploadIds();
        return since.stream().filter(open::contains).toList();
    }

    public boolean hasOpenMultipartUpload(String uploadId) {
        return openUploadIds().contains(uploadId);
    }

    /** Every open multipart upload of the bucket: every page (S3 answers 1,000 at most; so does S3Proxy). */
    private Set<String> openUploadIds() {
        return s3.listMultipartUploadsPaginator(list -> list.bucket(config.storage().bucket())).uploads().stream()
                .map(MultipartUpload::uploadId).collect(Collectors.toSet());
    }

    public boolean objectExists(String key) {
        return s3.listObjectsV2(list -> list.bucket(config.storage().bucket()).prefix(key)).contents().stream()
                .anyMatch(object -> object.key().equals(key));
    }

    public byte[] object(String key) {
        return s3.getObject(get -> get.bucket(config.storage().bucket()).key(key), ResponseTransformer.toBytes())
                .asByteArray();
    }

    public String objectEtag(String key) {
        return s3.headObject(head -> head.bucket(config.storage().bucket()).key(key)).eTag();
    }

    /** Object key of an upload, as the service chose it. */
    public String objectKey(UUID fileId) {
        return itemString(fileId.toString(), "object_key");
    }
}
