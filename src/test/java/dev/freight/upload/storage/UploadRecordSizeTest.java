package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.freight.problem.FreightException;
import dev.freight.upload.api.InitRequest;
import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.model.ChecksumAlgorithm;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.model.Upload;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The largest record Freight can write fits DynamoDB's 400 KB item: the largest init the request rules accept
 * (every text at its length in 4-byte characters, 32 metadata entries at their bounds), completed with 10,000 part
 * digests. And {@link ItemSize} counts as AWS's "DynamoDB item sizes and formats" says.
 */
class UploadRecordSizeTest {

    /** A character of 4 UTF-8 bytes (one code point, two UTF-16 units): the most bytes a counted character takes. */
    private static final String WIDEST = new String(Character.toChars(0x1F4E6));
    /** Room kept below the limit: a new attribute or a longer S3 upload id must not bring a record to the edge. */
    private static final int MARGIN = 32 * 1024;

    @Test
    void theLargestCompletedRecordAndItsDigestItemEachFitWithAMargin() {
        Upload largest = largestUpload();
        Map<String, AttributeValue> record = new HashMap<>(UploadItem.toItem(largest));
        Map<String, AttributeValue> digests = UploadItem.digestsItem(largest);

        long recordSize = ItemSize.of(record);
        long digestsSize = ItemSize.of(digests);
        assertThat(recordSize).as("the record without its digests").isBetween(135_000L, 150_000L)
                .isLessThan(ItemSize.MAX_ITEM_BYTES - MARGIN);
        assertThat(digestsSize).as("10,000 digests of 32 bytes, the key and the attribute name")
                .isEqualTo("file_id".length() + "parts#".length() + 36 + "part_sha256s".length() + 320_000)
                .isLessThan(ItemSize.MAX_ITEM_BYTES - MARGIN);
        assertThat(record).doesNotContainKey(UploadItem.PART_SHA256S);

        // Before: the digests in the record itself made it ~457 KB, and DynamoDB refused the write that recorded
        // the assembled file.
        record.put(UploadItem.PART_SHA256S, digests.get(UploadItem.PART_SHA256S));
        assertThat(ItemSize.of(record)).isGreaterThan(ItemSize.MAX_ITEM_BYTES);
        // Create's own check allows for what completion adds.
        assertThat(ItemSize.of(UploadItem.toItem(largest)) - ItemSize.of(UploadItem.toItem(started(largest))))
                .isLessThan(DynamoDbUploadRecords.COMPLETION_ALLOWANCE);
    }

    @Test
    void theLargestInitIsOneTheRequestRulesAccept() {
        FreightException refused = catchThrowableOfType(FreightException.class,
                () -> FieldChecks.body(largestInit()).throwIfAny());
        assertThat(refused == null ? List.of() : refused.errors()).isEmpty();
        InitRequest longerValue = largestInit(WIDEST.repeat(1025));
        assertThat(catchThrowableOfType(FreightException.class, () -> FieldChecks.body(longerValue).throwIfAny())
                .errors()).extracting(error -> error.field()).isNotEmpty()
                .allSatisfy(field -> assertThat(field).startsWith("metadata["));
    }

    @Test
    void aRecordWrittenWithItsDigestsInsideIsStillReadWithThem() {
        Upload largest = largestUpload();
        Map<String, AttributeValue> oldShape = new HashMap<>(UploadItem.toItem(largest));
        oldShape.put(UploadItem.PART_SHA256S, UploadItem.digestsItem(largest).get(UploadItem.PART_SHA256S));

        assertThat(UploadItem.fromItem(oldShape).partChecksums()).hasSize(S3Limits.MAX_PARTS)
                .isEqualTo(largest.partChecksums());
        assertThat(UploadItem.fromItem(UploadItem.toItem(largest)).partChecksums()).isEmpty();
    }

    @Test
    void itemSizesFollowAwsRules() {
        assertThat(ItemSize.of(Map.of("name", AttributeValue.fromS("caf\u00e9")))).as("UTF-8 bytes").isEqualTo(4 + 5);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.fromN("12345")))).as("3 digit pairs + 1").isEqualTo(1 + 4);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.fromN("0012300.000")))).as("zeroes trimmed")
                .isEqualTo(1 + 2 + 1);
        assertThat(ItemSize.of(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[32])))))
                .as("raw bytes, not base64").isEqualTo(1 + 32);
        assertThat(ItemSize.of(Map.of("t", AttributeValue.fromBool(true), "z", AttributeValue.fromNul(true))))
                .isEqualTo(2 + 2);
        assertThat(ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("key", AttributeValue.fromS("value"))))))
                .as("3 bytes per map, 1 per element, its key and value").isEqualTo(1 + 3 + 1 + 3 + 5);
        assertThat(ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"),
                AttributeValue.fromL(List.of())))))).isEqualTo(1 + 3 + (1 + 2) + (1 + 3));
        assertThat(ItemSize.of(Map.of())).isZero();
    }

    private static InitRequest largestInit() {
        return largestInit(WIDEST.repeat(1024));
    }

    private static InitRequest largestInit(String metadataValue) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int entry = 0; entry < 32; entry++) {
            metadata.put(String.format("%03d", entry) + "k".repeat(125), metadataValue);
        }
        return new InitRequest(WIDEST.repeat(255), "application/" + "x".repeat(127) + "; p=" + "v".repeat(112), 1L << 40, WIDEST.repeat(128),
                Instant.parse("2026-12-07T10:00:00.123456789Z"), null, "SHA256",
                Base64.getEncoder().encodeToString(new byte[32]), null, metadata);
    }

    /** The largest init as the service records it, completed with 10,000 part digests. */
    private static Upload largestUpload() {
        InitRequest init = largestInit();
        assertThat(init.fileType()).hasSize(255);
        Instant now = Instant.parse("2026-12-07T10:00:00.123456789Z");
        UUID fileId = UUID.randomUUID();
        PartPlan plan = new PartPlan(init.fileSize(), 110_100_481L, S3Limits.MAX_PARTS);
        Upload started = Upload.started(fileId, "o".repeat(256),
                new Upload.FileFacts(init.filename(), init.fileType(), init.fileSize(), init.authorName(),
                        init.createdAt(), init.checksumSha256(), init.metadata()),
                // S3 names no bound for upload ids; AWS's are ~150 characters.
                new Upload.PartTarget("u".repeat(512), fileId.toString(), plan, ChecksumAlgorithm.SHA256), now,
                now.plusSeconds(604_800), now.plusSeconds(2 * 604_800), "h".repeat(44));
        List<String> digests = new ArrayList<>();
        for (int part = 0; part < S3Limits.MAX_PARTS; part++) {
            byte[] digest = new byte[32];
            digest[0] = (byte) part;
            digest[1] = (byte) (part >> 8);
            digests.add(Base64.getEncoder().encodeToString(digest));
        }
        return started.completing(now).completed("\"" + "e".repeat(32) + "-10000\"",
                Base64.getEncoder().encodeToString(new byte[32]) + "-10000", digests,
                "https://" + "b".repeat(63) + ".s3.ap-southeast-2.amazonaws.com/" + fileId, now);
    }

    private static Upload started(Upload completed) {
        return new Upload(completed.fileId(), completed.owner(), completed.file(), completed.target(),
                completed.lifecycle(), Upload.Outcome.NONE, completed.requestHash(), 1);
    }
}
