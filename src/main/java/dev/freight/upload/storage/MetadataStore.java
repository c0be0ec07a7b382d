package dev.freight.upload.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.service.Upload;
import dev.freight.upload.service.UploadStatus;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The only class that talks to DynamoDB: one item per upload, written with conditions (create once, update only
 * the version that was read), listed per author through the {@value #AUTHOR_INDEX} index.
 */
@ApplicationScoped
public class MetadataStore {

    /** GSI: partition {@code author_name}, sort {@code initiated_at}, so an author's uploads come newest first. */
    public static final String AUTHOR_INDEX = "author-index";

    private static final String STORAGE = "DynamoDB";

    private final DynamoDbClient dynamoDb;
    private final String table;

    MetadataStore(DynamoDbClient dynamoDb, FreightConfig config) {
        this.dynamoDb = dynamoDb;
        this.table = config.storage().table();
    }

    /**
     * Stores a new upload.
     *
     * @throws UploadExistsException when the file id exists already
     */
    public void create(Upload upload) {
        try {
            call(() -> dynamoDb.putItem(put -> put.tableName(table).item(UploadItem.toItem(upload))
                    .conditionExpression("attribute_not_exists(" + UploadItem.FILE_ID + ")")));
        } catch (ConditionalCheckFailedException exists) {
            throw new UploadExistsException(upload.fileId().toString(), exists);
        }
    }

    public Optional<Upload> find(UUID fileId) {
        return call(() -> {
            Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                    .key(key(fileId))).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(UploadItem.fromItem(item));
        });
    }

    /**
     * Replaces the record with {@code next} only if storage still holds {@code next.version() - 1}.
     *
     * @throws StaleUploadException when another request changed it first
     */
    public void update(Upload next) {
        try {
            call(() -> dynamoDb.putItem(put -> put.tableName(table).item(UploadItem.toItem(next))
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(Map.of("#version", UploadItem.VERSION))
                    .expressionAttributeValues(Map.of(":expected", UploadItem.number(next.version() - 1)))));
        } catch (ConditionalCheckFailedException lost) {
            throw new StaleUploadException(next.fileId().toString(), lost);
        }
    }

    /** An author's uploads visible to {@code owner}, newest first, optionally only those in {@code status}. */
    public UploadPage listByAuthor(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        Map<String, String> names = new HashMap<>(Map.of("#author", UploadItem.AUTHOR_NAME, "#owner", UploadItem.OWNER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":author", UploadItem.string(authorName),
                ":owner", UploadItem.string(owner)));
        String filter = "#owner = :owner";
        if (status != null) {
            names.put("#status", UploadItem.UPLOAD_STATUS);
            values.put(":status", UploadItem.string(status.wireName()));
            filter += " AND #status = :status";
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(AUTHOR_INDEX)
                .keyConditionExpression("#author = :author").filterExpression(filter)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(false).limit(limit);
        if (pageToken != null) {
            query.exclusiveStartKey(PageToken.decode(pageToken, authorName));
        }
        QueryResponse page = call(() -> dynamoDb.query(query.build()));
        List<Upload> uploads = page.items().stream().map(UploadItem::fromItem).toList();
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? PageToken.encode(page.lastEvaluatedKey())
                : null;
        return new UploadPage(uploads, next);
    }

    /** Creates the table with its author index and TTL when it does not exist yet. */
    public void createTableIfMissing() {
        call(() -> {
            try {
                dynamoDb.describeTable(describe -> describe.tableName(table));
                return null;
            } catch (ResourceNotFoundException missing) {
                Log.infof("Creating table %s", table);
            }
            dynamoDb.createTable(create -> create.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(UploadItem.FILE_ID), attribute(UploadItem.AUTHOR_NAME),
                            attribute(UploadItem.INITIATED_AT))
                    .keySchema(key -> key.attributeName(UploadItem.FILE_ID).keyType(KeyType.HASH))
                    .globalSecondaryIndexes(index -> index.indexName(AUTHOR_INDEX)
                            .keySchema(
                                    key -> key.attributeName(UploadItem.AUTHOR_NAME).keyType(KeyType.HASH),
                                    key -> key.attributeName(UploadItem.INITIATED_AT).keyType(KeyType.RANGE))
                            .projection(projection -> projection.projectionType(ProjectionType.ALL))));
            dynamoDb.waiter().waitUntilTableExists(describe -> describe.tableName(table));
            dynamoDb.updateTimeToLive(ttl -> ttl.tableName(table)
                    .timeToLiveSpecification(spec -> spec.attributeName(UploadItem.EXPIRES_AT).enabled(true)));
            return null;
        });
    }

    /** Checks the table answers; throws when storage is unavailable. */
    public void checkTable() {
        call(() -> dynamoDb.describeTable(describe -> describe.tableName(table)));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static Map<String, AttributeValue> key(UUID fileId) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(fileId.toString()));
    }

    private static <T> T call(Supplier<T> dynamoDbCall) {
        try {
            return dynamoDbCall.get();
        } catch (ConditionalCheckFailedException conditionFailed) {
            // A lost condition is an answer, not an outage: create() and update() turn it into their own exception.
            throw conditionFailed;
        } catch (SdkException failure) {
            throw StorageErrors.translate(STORAGE, failure);
        }
    }

    /** The opaque {@code next_token}: the index position to continue from, base64url-encoded. */
    static final class PageToken {

        private PageToken() {
        }

        static String encode(Map<String, AttributeValue> lastKey) {
            String position = String.join("\n", lastKey.get(UploadItem.FILE_ID).s(),
                    lastKey.get(UploadItem.AUTHOR_NAME).s(), lastKey.get(UploadItem.INITIATED_AT).s());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
        }

        static Map<String, AttributeValue> decode(String token, String authorName) {
            try {
                String[] position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                        .split("\n", -1);
                UUID.fromString(position[0]);
                java.time.Instant.parse(position[2]);
                if (position.length != 3 || !position[1].equals(authorName)) {
                    throw new IllegalArgumentException("token of another listing");
                }
                return Map.of(UploadItem.FILE_ID, UploadItem.string(position[0]),
                        UploadItem.AUTHOR_NAME, UploadItem.string(position[1]),
                        UploadItem.INITIATED_AT, UploadItem.string(position[2]));
            } catch (RuntimeException invalid) {
                throw new FreightException(ProblemType.INVALID_REQUEST, "next_token is not a token this listing gave",
                        List.of(new FieldError("next_token", "invalid token")));
            }
        }
    }
}
