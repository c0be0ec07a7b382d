package dev.freight.upload.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.service.QuotaExceededException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The owner's quota counters: one counter item per owner, changed in the same transaction as the upload record
 * whose status holds or frees the quota (this class builds those transaction steps; the record store runs them).
 */
@ApplicationScoped
public class QuotaCounters {

    /** Set on an upload record while it counts against its owner's quota (the declared size it counts). */
    static final String QUOTA_BYTES = "quota_bytes";
    static final String OPEN_UPLOADS = "open_uploads";
    static final String OPEN_BYTES = "open_bytes";
    /** Uploaded files of the owner and their sizes: added by the write that records a file, never taken back. */
    static final String STORED_FILES = "stored_files";
    static final String STORED_BYTES = "stored_bytes";
    /** Counter items share the table; their key cannot be a file id (those are UUIDs). */
    static final String QUOTA_KEY_PREFIX = "quota#";

    private final DynamoDbCalls calls;
    private final DynamoDbClient dynamoDb;
    private final OwnerQuota quota;

    QuotaCounters(DynamoDbCalls calls, FreightConfig config) {
        this.calls = calls;
        this.dynamoDb = calls.client();
        this.quota = OwnerQuota.of(config);
    }

    /**
     * One read of the owner's counters, eventually consistent (half the cost of a consistent one): it only spares
     * storage a multipart upload that the conditional transaction of create, the authority, would refuse.
     */
    void requireRoom(String owner, long fileSize) {
        // Needed apart from create's condition: an owner without a counter yet passes it whatever the size.
        if (fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), 0, fileSize);
        }
        Map<String, AttributeValue> counter = calls.call(() -> dynamoDb.getItem(get -> get.tableName(calls.table())
                .key(quotaKey(owner)))).item();
        refuseOverQuota(counter, fileSize);
    }

    /** The transaction step that counts a new upload, conditional on the owner's caps. */
    TransactWriteItem count(Upload upload) {
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(quotaKey(upload.owner()))
                .updateExpression("ADD #uploads :one, #bytes :size")
                .conditionExpression("(attribute_not_exists(#uploads) OR #uploads <= :uploadsBefore) AND "
                        + "(attribute_not_exists(#bytes) OR #bytes <= :bytesBefore)")
                .expressionAttributeNames(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES))
                .expressionAttributeValues(Map.of(":one", UploadItem.number(1),
                        ":size", UploadItem.number(upload.fileSize()),
                        ":uploadsBefore", UploadItem.number(quota.maxOpenUploads() - 1),
                        ":bytesBefore", UploadItem.number(quota.maxOpenBytes() - upload.fileSize())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    /**
     * The refusal of a create whose counting step (at {@code index} in the transaction) failed its condition.
     */
    QuotaExceededException refusal(List<CancellationReason> reasons, int index, long fileSize) {
        refuseOverQuota(reasons.get(index).item(), fileSize);
        // The counter moved below the cap between the refusal and the read: rare, and a retry will succeed.
        return new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(),
                quota.maxOpenUploads(), 1);
    }

    /** The transaction step that gives an ended upload's quota back (and counts a stored file as such). */
    TransactWriteItem release(Upload ended) {
        // A file recorded moves from the open counters to the stored ones, in the same step.
        boolean stored = ended.status() == UploadStatus.UPLOADED;
        Map<String, String> names = new HashMap<>(Map.of("#uploads", OPEN_UPLOADS, "#bytes", OPEN_BYTES));
        Map<String, AttributeValue> amounts = new HashMap<>(Map.of(":minusOne", UploadItem.number(-1),
                ":minusSize", UploadItem.number(-ended.fileSize())));
        if (stored) {
            names.putAll(Map.of("#storedFiles", STORED_FILES, "#storedBytes", STORED_BYTES));
            amounts.putAll(Map.of(":one", UploadItem.number(1), ":size", UploadItem.number(ended.fileSize())));
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(calls.table())
                .key(quotaKey(ended.owner()))
                .updateExpression("ADD #uploads :minusOne, #bytes :minusSize"
                        + (stored ? ", #storedFiles :one, #storedBytes :size" : ""))
                .conditionExpression("attribute_exists(#uploads)")
                .expressionAttributeNames(names).expressionAttributeValues(amounts).build()).build();
    }

    private void refuseOverQuota(Map<String, AttributeValue> counter, long fileSize) {
        long openUploads = counterValue(counter, OPEN_UPLOADS);
        long openBytes = counterValue(counter, OPEN_BYTES);
        long keptFiles = openUploads + counterValue(counter, STORED_FILES);
        long keptBytes = openBytes + counterValue(counter, STORED_BYTES);
        if (quota.maxStoredFiles() > 0 && keptFiles + 1 > quota.maxStoredFiles()) {
            throw QuotaExceededException.stored("freight.quota.max-stored-files", quota.maxStoredFiles(), keptFiles,
                    1);
        }
        if (quota.maxStoredBytes() > 0 && keptBytes + fileSize > quota.maxStoredBytes()) {
            throw QuotaExceededException.stored("freight.quota.max-stored-bytes", quota.maxStoredBytes(), keptBytes,
                    fileSize);
        }
        if (openUploads + 1 > quota.maxOpenUploads()) {
            throw new QuotaExceededException("freight.quota.max-open-uploads", quota.maxOpenUploads(), openUploads, 1);
        }
        if (openBytes + fileSize > quota.maxOpenBytes()) {
            throw new QuotaExceededException("freight.quota.max-open-bytes", quota.maxOpenBytes(), openBytes,
                    fileSize);
        }
    }

    private static long counterValue(Map<String, AttributeValue> counter, String name) {
        return counter == null || !counter.containsKey(name) ? 0 : Long.parseLong(counter.get(name).n());
    }

    private static Map<String, AttributeValue> quotaKey(String owner) {
        return Map.of(UploadItem.FILE_ID, UploadItem.string(QUOTA_KEY_PREFIX + owner));
    }
}
