package dev.freight.upload.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadPage;
import dev.freight.upload.model.UploadStatus;
import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * An owner's uploads, newest first: every shard of the {@value MetadataTable#OWNER_SHARD_INDEX} (or, for one
 * author's open uploads, of the {@value MetadataTable#OPEN_INDEX}) merged by {@link ShardMerge}, plus, while the
 * table still has it, the unsharded {@value MetadataTable#OWNER_INDEX} of earlier versions for the records they
 * wrote. A listing never reads another owner's records, and its {@code next_token} holds every stream's cursor,
 * bound to the caller ({@link ListingTokens}).
 */
@ApplicationScoped
public class OwnerListing {

    /** Items a listing examines at most per request before it answers a shorter page with a next_token. */
    static final int MAX_EVALUATED_PER_LISTING = 5_000;

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ListingTokens tokens;
    private final IndexShards shards;
    /**
     * Queries one listing runs at once: a page reads every shard (with 64 shards, four waves of parallel Queries
     * instead of 64 one after another).
     */
    static final int PARALLEL_QUERIES = 16;
    /**
     * Threads shared by all listings of this instance; when all are busy the listing's own thread runs its Query, so
     * a burst of listings slows down instead of queueing without bound.
     */
    private final ThreadPoolExecutor queries = new ThreadPoolExecutor(0, 4 * PARALLEL_QUERIES, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "freight-listing-query");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
    /** False once DynamoDB said the table has no unsharded owner index (a new table, or the migration's end). */
    private volatile boolean unshardedIndexPresent = true;

    OwnerListing(DynamoDbCalls calls, ListingTokens tokens, FreightConfig config) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.table = calls.table();
        this.tokens = tokens;
        this.shards = IndexShards.of(config);
    }

    /**
     * The owner's uploads, newest first, optionally only those by {@code authorName} and in {@code status}; filtered
     * pages read on until they hold {@code limit} uploads, the owner has no more, or {@value #MAX_EVALUATED_PER_LISTING}
     * items were examined; {@code next_token} continues each shard after the last upload taken from it.
     */
    public UploadPage listByOwner(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        return read(owner, authorName, status, limit, pageToken).page();
    }

    @PreDestroy
    void stop() {
        queries.shutdownNow();
    }

    /** A page and the index items read to make it (what the listing cost). */
    record Listing(UploadPage page, int examined) {
    }

    Listing read(String owner, String authorName, UploadStatus status, int limit, String pageToken) {
        // One author's open uploads have an index of their own; every other listing filters the owner's shards.
        boolean openOnly = authorName != null && status != null && status.isOpen();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
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
        int streams = shards.count() + 1;
        List<ShardMerge.Cursor> from = pageToken == null
                ? new ArrayList<>(Collections.nCopies(streams, ShardMerge.Cursor.START))
                : tokens.decode(pageToken, owner, listing, streams);
        String filter = filters.isEmpty() ? null : String.join(" AND ", filters);
        ShardMerge.Source<Upload> source = (stream, start, wanted) -> {
            Stream read = stream == shards.count() ? unsharded(owner)
                    : openOnly ? new Stream(MetadataTable.OPEN_INDEX, UploadItem.OPEN_SHARD,
                            shards.openPartition(owner, authorName, stream), UploadItem.SHARD_SORT)
                    : new Stream(MetadataTable.OWNER_SHARD_INDEX, UploadItem.OWNER_SHARD,
                            shards.ownerPartition(owner, stream), UploadItem.SHARD_SORT);
            // Where nearly every item matches (no filter, or the open index of one author), read what the page
            // wants; else more at once, as most items are filtered out.
            boolean mostlyMatching = filter == null || openOnly && stream < shards.count();
            int readLimit = mostlyMatching ? wanted : Math.max(100, wanted * 4);
            return read == null ? new ShardMerge.Chunk<>(List.of(), ShardMerge.Cursor.DONE, 0)
                    : query(read, start, readLimit, filter, names, values);
        };
        ShardMerge.Page<Upload> page = ShardMerge.merge(from, limit, MAX_EVALUATED_PER_LISTING,
                upload -> ShardMerge.Cursor.after(upload.fileId().toString(), UploadItem.sortable(upload.initiatedAt())),
                source, new ShardMerge.Reads(queries, PARALLEL_QUERIES));
        String next = page.next() == null ? null : tokens.encode(page.next(), owner, listing);
        return new Listing(new UploadPage(page.items(), next), page.examined());
    }

    /** One partition of one index, newest first: its index, partition attribute and value, sort attribute. */
    private record Stream(String index, String partitionAttribute, String partition, String sortAttribute) {
    }

    /** The owner's partition of the unsharded index of earlier versions, or null when the table has none. */
    private Stream unsharded(String owner) {
        return unshardedIndexPresent
                ? new Stream(MetadataTable.OWNER_INDEX, UploadItem.OWNER, owner, UploadItem.INITIATED_SORT) : null;
    }

    private ShardMerge.Chunk<Upload> query(Stream stream, ShardMerge.Cursor start, int readLimit, String filter,
            Map<String, String> filterNames, Map<String, AttributeValue> filterValues) {
        Map<String, String> names = new HashMap<>(filterNames);
        names.put("#partition", stream.partitionAttribute());
        Map<String, AttributeValue> values = new HashMap<>(filterValues);
        values.put(":partition", UploadItem.string(stream.partition()));
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(stream.index())
                .keyConditionExpression("#partition = :partition").expressionAttributeNames(names)
                .expressionAttributeValues(values).scanIndexForward(false).limit(readLimit).filterExpression(filter);
        if (start.kind() == ShardMerge.Cursor.Kind.AFTER) {
            query.exclusiveStartKey(Map.of(UploadItem.FILE_ID, UploadItem.string(start.fileId()),
                    stream.partitionAttribute(), UploadItem.string(stream.partition()),
                    stream.sortAttribute(), UploadItem.string(start.sortKey())));
        }
        QueryResponse page;
        try {
            page = dynamoDb.query(query.build());
        } catch (DynamoDbException failure) {
            if (stream.index().equals(MetadataTable.OWNER_INDEX) && DynamoDbCalls.missingIndex(failure)) {
                // A table made by this version, or one whose migration ended with the old index removed.
                Log.infof("Table %s has no %s: listings read only the sharded indexes", table,
                        MetadataTable.OWNER_INDEX);
                unshardedIndexPresent = false;
                return new ShardMerge.Chunk<>(List.of(), ShardMerge.Cursor.DONE, 0);
            }
            throw calls.translate(failure);
        } catch (SdkException failure) {
            throw calls.translate(failure);
        }
        List<Upload> uploads = page.items().stream().map(UploadItem::fromItem).toList();
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        ShardMerge.Cursor next = page.hasLastEvaluatedKey() && !last.isEmpty()
                ? ShardMerge.Cursor.after(last.get(UploadItem.FILE_ID).s(), last.get(stream.sortAttribute()).s())
                : ShardMerge.Cursor.DONE;
        return new ShardMerge.Chunk<>(uploads, next, page.scannedCount());
    }
}
