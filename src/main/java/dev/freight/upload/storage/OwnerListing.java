package dev.freight.upload.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * An owner's uploads, newest first, read from the {@value MetadataTable#OWNER_INDEX}: a listing never reads another
 * owner's records, and its {@code next_token} is bound to the caller ({@link ListingTokens}).
 */
@ApplicationScoped
public class OwnerListing {

    /** Items a filtered listing reads at most per request before it answers a shorter page with a next_token. */
    static final int MAX_EVALUATED_PER_LISTING = 5_000;
    private static final String OWNER_INDEX = MetadataTable.OWNER_INDEX;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ListingTokens tokens;

    OwnerListing(DynamoDbCalls calls, ListingTokens tokens) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
        this.tokens = tokens;
    }

    /**
     * The owner's uploads, newest first, optionally only those by {@code authorName} and in {@code status}. Reads
     * only the owner's partition of the index; filtered pages read on until they hold {@code limit} uploads or the
     * owner has no more, and {@code next_token} continues after the last upload returned.
     */
    public UploadPage listByOwner(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        Map<String, String> names = new HashMap<>(Map.of("#owner", UploadItem.OWNER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", UploadItem.string(owner)));
        List<String> filters = new ArrayList<>();
        if (authorName != null) {
            names.put("#author", UploadItem.AUTHOR_NAME);
            values.put(":author", UploadItem.string(authorName));
            filters.add("#author = :author");
        }
        if (status != null) {
            names.put("#status", UploadItem.UPLOAD_STATUS);
            values.put(":status", UploadItem.string(status.wireName()));
            filters.add("#status = :status");
        }
        // The token is bound to the caller and to these filters: another listing's token is refused.
        String listing = (authorName == null ? "" : "a:" + authorName) + "\n"
                + (status == null ? "" : status.wireName());
        Map<String, AttributeValue> start = pageToken == null ? null
                : startKey(owner, tokens.decode(pageToken, owner, listing));
        List<Upload> uploads = new ArrayList<>();
        Map<String, AttributeValue> lastReturned = null;
        int evaluated = 0;
        while (true) {
            // Unfiltered: one item more than the page shows whether another page exists.
            int readLimit = filters.isEmpty() ? limit - uploads.size() + 1 : Math.max(100, limit * 4);
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(OWNER_INDEX)
                    .keyConditionExpression("#owner = :owner").expressionAttributeNames(names)
                    .expressionAttributeValues(values).scanIndexForward(false).limit(readLimit)
                    .exclusiveStartKey(start);
            if (!filters.isEmpty()) {
                query.filterExpression(String.join(" AND ", filters));
            }
            QueryResponse page = calls.call(() -> dynamoDb.query(query.build()));
            evaluated += page.scannedCount();
            boolean moreInPage = false;
            for (Map<String, AttributeValue> item : page.items()) {
                if (uploads.size() == limit) {
                    moreInPage = true;
                    break;
                }
                uploads.add(UploadItem.fromItem(item));
                lastReturned = item;
            }
            boolean moreInIndex = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            if (uploads.size() == limit) {
                return new UploadPage(uploads, moreInPage || moreInIndex ? token(lastReturned, owner, listing) : null);
            }
            if (!moreInIndex) {
                return new UploadPage(uploads, null);
            }
            start = page.lastEvaluatedKey();
            if (evaluated >= MAX_EVALUATED_PER_LISTING) {
                // Bounded work per request: a shorter page; the token continues where the reading stopped.
                return new UploadPage(uploads, token(start, owner, listing));
            }
        }
    }

    private String token(Map<String, AttributeValue> position, String owner, String listing) {
        return tokens.encode(new ListingTokens.ListingPosition(position.get(UploadItem.FILE_ID).s(),
                position.get(UploadItem.INITIATED_SORT).s()), owner, listing);
    }

    private static Map<String, AttributeValue> startKey(String owner, ListingTokens.ListingPosition position) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(position.fileId()),
                UploadItem.OWNER, UploadItem.string(owner),
                UploadItem.INITIATED_SORT, UploadItem.string(position.sortKey()));
    }
}
