package dev.freight.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.config.FreightConfig;
import dev.freight.support.DynamoDbRequestRecorder;
import dev.freight.support.PartSender;
import dev.freight.support.S3RequestRecorder;
import dev.freight.support.StorageCalls;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.upload.storage.QuotaCounters;
import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Quotas per owner: concurrent inits at the cap give exactly the cap, refusals write nothing and start nothing,
 * complete, abort and expiry give the quota back (once), and another owner is never affected.
 */
@QuarkusTest
@TestProfile(OwnerLimitsProfile.class)
class QuotaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CAP = OwnerLimitsProfile.MAX_OPEN_UPLOADS;

    @TestHTTPResource("/")
    URL base;

    @Inject
    StorageInspector storage;

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    FreightConfig config;

    @Test
    void fortyConcurrentInitsUnderACapOfThirtyGiveExactlyThirty() throws Exception {
        String owner = "racer-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Racer");
        StorageInspector.Mark mark = storage.mark();
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int index = 0; index < 40; index++) {
            String body = JSON.writeValueAsString(Map.of("filename", "race" + index + ".bin",
                    "file_type", "application/octet-stream", "file_size", 1000, "author_name", "Racer"));
            answers.add(pool.submit(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(URI.create(base + "api/upload/init"))
                        .header("Authorization", token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            }));
        }
        start.countDown();
        List<String> created = new ArrayList<>();
        int refused = 0;
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 201) {
                created.add(JSON.readTree(response.body()).get("file_id").asText());
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                JsonNode problem = JSON.readTree(response.body());
                assertThat(problem.get("type").asText()).endsWith("quota-exceeded");
                assertThat(problem.get("limit").asText()).isEqualTo("freight.quota.max-open-uploads");
                assertThat(problem.get("max").asLong()).isEqualTo(CAP);
                refused++;
            }
        }
        pool.shutdown();
        assertThat(created).hasSize(CAP);
        assertThat(refused).isEqualTo(40 - CAP);
        // Storage holds exactly the cap: records, the counter, and open multipart uploads (refused ones aborted).
        assertThat(listAll(token)).containsExactlyInAnyOrderElementsOf(created);
        assertThat(counter(owner)).containsExactly((long) CAP, CAP * 1000L);
        assertThat(storage.openUploadsStartedSince(mark)).hasSize(CAP);
    }

    @Test
    void anAcceptedInitCostsTheQuotaReadAndTheTransactionThatCountsIt() {
        String token = "Bearer " + Tokens.valid("one-call-" + UUID.randomUUID(), "One");
        int before = DynamoDbRequestRecorder.sent().size();
        init(token, 100).then().statusCode(201);
        List<SdkRequest> sent = DynamoDbRequestRecorder.sent();
        // The read comes first so that a refusal starts nothing in storage; eventually consistent (half the cost).
        assertThat(sent.subList(before, sent.size())).as("DynamoDB requests of one init").hasSize(2);
        assertThat(sent.get(before)).isInstanceOfSatisfying(GetItemRequest.class,
                read -> assertThat(read.consistentRead()).isNotEqualTo(Boolean.TRUE));
        assertThat(sent.get(before + 1)).isInstanceOf(TransactWriteItemsRequest.class);
    }

    /**
     * What one init and one complete of a one-part upload send to DynamoDB (logged as a line for the docs): the
     * sharded counters cost no more than the single counter did while the drawn shard has room.
     */
    @Test
    void anInitAndACompleteSendTheseDynamoDbRequests() {
        String token = "Bearer " + Tokens.valid("calls-" + UUID.randomUUID(), "Calls");
        byte[] file = TestFiles.randomBytes(1000, 29);
        int beforeInit = DynamoDbRequestRecorder.sent().size();
        JsonPath started = init(token, file.length).then().statusCode(201).extract().jsonPath();
        List<SdkRequest> init = DynamoDbRequestRecorder.sent().subList(beforeInit, DynamoDbRequestRecorder.sent().size());
        String etag = PartSender.put(started.getString("parts[0].url"), Map.of(), file).etag();
        int beforeComplete = DynamoDbRequestRecorder.sent().size();
        as(token).contentType("application/json").body(Map.of("file_id", started.getString("file_id"),
                "parts", List.of(Map.of("part_number", 1, "etag", etag)))).post("/api/upload/complete")
                .then().statusCode(200);
        List<SdkRequest> complete = DynamoDbRequestRecorder.sent().subList(beforeComplete,
                DynamoDbRequestRecorder.sent().size());
        Log.infof("DynamoDB requests: init %s; complete %s", StorageCalls.describe(init),
                StorageCalls.describe(complete));

        assertThat(init).extracting(request -> request.getClass().getSimpleName())
                .containsExactly("GetItemRequest", "TransactWriteItemsRequest");
        assertThat(((TransactWriteItemsRequest) init.get(1)).transactItems()).as("the record and one counter shard")
                .hasSize(2);
        List<TransactWriteItemsRequest> ending = complete.stream().filter(TransactWriteItemsRequest.class::isInstance)
                .map(TransactWriteItemsRequest.class::cast).toList();
        assertThat(ending).as("one transaction ends the record and gives the quota back").hasSize(1);
        assertThat(ending.get(0).transactItems()).hasSize(2);
        assertThat(complete).noneMatch(request -> request.getClass().getSimpleName().equals("BatchGetItemRequest"));
    }

    @Test
    void aRefusalAtTheCapWritesNothingStartsNothingAndLeavesOtherOwnersAlone() {
        String owner = "full-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Full");
        for (int index = 0; index < CAP; index++) {
            init(token, 100).then().statusCode(201);
        }
        long items = storage.itemCount();
        StorageInspector.Mark mark = storage.mark();
        int started = S3RequestRecorder.sent(CreateMultipartUploadRequest.class).size();
        Response refused = init(token, 100);
        // Refused from the counters before storage is touched: no multipart upload started (and aborted).
        assertThat(S3RequestRecorder.sent(CreateMultipartUploadRequest.class)).hasSize(started);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).endsWith("quota-exceeded");
        assertThat(refused.jsonPath().getString("detail")).contains("freight.quota.max-open-uploads");
        assertThat(refused.jsonPath().getLong("current")).isEqualTo(CAP);
        assertThat(storage.itemCount()).isEqualTo(items);
        assertThat(storage.openUploadsStartedSince(mark)).isEmpty();
        assertThat(counter(owner)).containsExactly((long) CAP, CAP * 100L);

        // Another owner is not affected by this one being full.
        init("Bearer " + Tokens.valid("other-" + UUID.randomUUID(), "Other"), 100).then().statusCode(201);
    }

    @Test
    void openBytesCountDeclaredSizes() {
        String owner = "bytes-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Bytes");
        long max = OwnerLimitsProfile.MAX_OPEN_BYTES;
        init(token, 60L << 20).then().statusCode(201);
        Response refused = init(token, 50L << 20);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.jsonPath().getString("type")).endsWith("quota-exceeded");
        assertThat(refused.jsonPath().getString("limit")).isEqualTo("freight.quota.max-open-bytes");
        assertThat(refused.jsonPath().getLong("max")).isEqualTo(max);
        assertThat(refused.jsonPath().getLong("current")).isEqualTo(60L << 20);
        // A single file over the cap is refused without reading anything.
        assertThat(init(token, max + 1).jsonPath().getString("limit")).isEqualTo("freight.quota.max-open-bytes");
        init(token, 40L << 20).then().statusCode(201);
        assertThat(counter(owner)).containsExactly(2L, 100L << 20);
    }

    @Test
    void aCounterLeftHighByVanishedRecordsIsRecountedOnceTheOwnerIsRefused() {
        String owner = "drift-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Drift");
        List<String> fileIds = new ArrayList<>();
        for (int index = 0; index < CAP; index++) {
            fileIds.add(init(token, 100).then().statusCode(201).extract().jsonPath().getString("file_id"));
        }
        // What records deleted while still counted (DynamoDB's TTL, under earlier versions) leave behind: counts no
        // ending will ever give back.
        for (String vanished : fileIds.subList(2, CAP)) {
            dynamoDb.deleteItem(delete -> delete.tableName(config.storage().table())
                    .key(Map.of("file_id", AttributeValue.fromS(vanished))));
        }
        assertThat(init(token, 100).statusCode()).isEqualTo(403);

        // Seen once: not yet (the owner index lags the table); seen the same again with nothing moving: corrected.
        assertThat(records.recountRefusedQuotas()).isZero();
        assertThat(counter(owner)).containsExactly((long) CAP, CAP * 100L);
        assertThat(records.recountRefusedQuotas()).isEqualTo(1);
        assertThat(counter(owner)).containsExactly(2L, 200L);
        assertThat(records.recountRefusedQuotas()).as("nothing left to recount").isZero();
        init(token, 100).then().statusCode(201);
        assertThat(counter(owner)).containsExactly(3L, 300L);
    }

    @Test
    void countsOfTheSingleCounterOfEarlierVersionsAreSpreadSoTheCapIsExactAgain() {
        String owner = "one-counter-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "OneCounter");
        for (int index = 0; index < 10; index++) {
            init(token, 100).then().statusCode(201);
        }
        // As earlier versions counted: everything on the one counter (now shard 0), no other counter item.
        // The owner uses no more shards than its cap of uploads (one upload each): only those hold a share.
        int shards = Math.min(config.quota().counterShards(), CAP);
        for (int shard = 1; shard < shards; shard++) {
            String key = QuotaCounters.counterKey(owner, shard);
            dynamoDb.deleteItem(delete -> delete.tableName(config.storage().table())
                    .key(Map.of("file_id", AttributeValue.fromS(key))));
        }
        dynamoDb.putItem(put -> put.tableName(config.storage().table()).item(Map.of(
                "file_id", AttributeValue.fromS(QuotaCounters.counterKey(owner, 0)),
                "open_uploads", AttributeValue.fromN("10"), "open_bytes", AttributeValue.fromN("1000"))));

        assertThat(metadata.backfillQuotaShards()).isPositive();

        assertThat(counter(owner)).as("moved, not changed").containsExactly(10L, 1000L);
        for (int shard = 0; shard < shards; shard++) {
            long share = CAP / shards + (shard < CAP % shards ? 1 : 0);
            assertThat(storage.item(QuotaCounters.counterKey(owner, shard)).map(item -> Long.parseLong(
                    item.get("open_uploads").n())).orElse(0L)).as("shard " + shard).isLessThanOrEqualTo(share);
        }
        // Exactly the cap again: 20 more, then refused.
        for (int index = 0; index < CAP - 10; index++) {
            init(token, 100).then().statusCode(201);
        }
        assertThat(init(token, 100).statusCode()).isEqualTo(403);
        assertThat(counter(owner)).containsExactly((long) CAP, CAP * 100L);
    }

    @Test
    void completeAbortAndExpiryGiveTheQuotaBackExactlyOnce() throws Exception {
        String owner = "cycle-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Cycle");
        List<String> fileIds = new ArrayList<>();
        byte[] file = TestFiles.randomBytes(1000, 13);
        JsonPath toComplete = init(token, file.length).then().statusCode(201).extract().jsonPath();
        fileIds.add(toComplete.getString("file_id"));
        for (int index = 1; index < CAP; index++) {
            fileIds.add(init(token, file.length).then().statusCode(201).extract().jsonPath().getString("file_id"));
        }
        assertThat(init(token, file.length).statusCode()).isEqualTo(403);

        // Complete gives one back.
        String etag = PartSender.put(toComplete.getString("parts[0].url"), Map.of(), file).etag();
        as(token).contentType("application/json").body(Map.of("file_id", fileIds.get(0),
                "parts", List.of(Map.of("part_number", 1, "etag", etag)))).post("/api/upload/complete")
                .then().statusCode(200);
        assertThat(counter(owner)).containsExactly(CAP - 1L, (CAP - 1L) * file.length);
        // Completing again changes nothing.
        as(token).contentType("application/json").body(Map.of("file_id", fileIds.get(0),
                "parts", List.of(Map.of("part_number", 1, "etag", etag)))).post("/api/upload/complete")
                .then().statusCode(200);
        assertThat(counter(owner)).containsExactly(CAP - 1L, (CAP - 1L) * file.length);
        String replacement = init(token, file.length).then().statusCode(201).extract().jsonPath().getString("file_id");

        // Two concurrent aborts of one upload give its quota back once.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> aborts = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            aborts.add(pool.submit(() -> as(token).contentType("application/json")
                    .body(Map.of("file_id", fileIds.get(1))).post("/api/upload/abort").statusCode()));
        }
        for (Future<Integer> abort : aborts) {
            assertThat(abort.get()).isEqualTo(204);
        }
        pool.shutdown();
        assertThat(counter(owner)).containsExactly(CAP - 1L, (CAP - 1L) * file.length);
        assertThat(storage.itemString(fileIds.get(1), "upload_status")).isEqualTo("aborted");
        assertThat(storage.item(fileIds.get(1)).orElseThrow()).doesNotContainKey("quota_bytes");
        init(token, file.length).then().statusCode(201);
        assertThat(counter(owner)).containsExactly((long) CAP, (long) CAP * file.length);

        // Expiry: an upload past its deadline is ended by the next init that finds the owner full.
        makeAbandoned(fileIds.get(2));
        assertThat(init(token, file.length).statusCode()).isEqualTo(201);
        assertThat(storage.itemString(fileIds.get(2), "upload_status")).isEqualTo("failed");
        assertThat(counter(owner)).containsExactly((long) CAP, (long) CAP * file.length);
        // ... and by a status read (the lazy expiry the sweeper also uses).
        makeAbandoned(fileIds.get(3));
        assertThat(as(token).get("/api/upload/" + fileIds.get(3)).then().statusCode(200).extract().jsonPath()
                .getString("upload_status")).isEqualTo("failed");
        assertThat(counter(owner)).containsExactly(CAP - 1L, (CAP - 1L) * file.length);
        assertThat(replacement).isNotBlank();
    }

    @Test
    void recordsWrittenBeforeTheOwnerIndexAreListedAfterTheBackfillAndHoldNoQuota(
            ) {
        String owner = "legacy-" + UUID.randomUUID();
        String token = "Bearer " + Tokens.valid(owner, "Legacy");
        String fileId = init(token, 100).then().statusCode(201).extract().jsonPath().getString("file_id");
        // Make it look like a record of the author-index era: no listing keys (neither the owner index's sort key
        // nor the sharded indexes' keys), no quota share.
        Map<String, AttributeValue> legacy = new java.util.HashMap<>(storage.item(fileId).orElseThrow());
        legacy.remove("initiated_sort");
        legacy.keySet().removeAll(java.util.List.of("owner_shard", "shard_sort", "open_shard"));
        legacy.remove("quota_bytes");
        dynamoDb.putItem(put -> put.tableName(config.storage().table()).item(legacy));
        storage.zeroOpenQuota(owner);
        assertThat(listAll(token)).isEmpty();

        assertThat(metadata.backfillListingKeys()).isGreaterThanOrEqualTo(1);
        assertThat(listAll(token)).containsExactly(fileId);
        assertThat(metadata.backfillListingKeys()).isZero();

        // Aborting it does not give back quota it never took.
        as(token).contentType("application/json").body(Map.of("file_id", fileId)).post("/api/upload/abort")
                .then().statusCode(204);
        assertThat(counter(owner)).containsExactly(0L, 0L);
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("aborted");
    }

    @Inject
    dev.freight.upload.storage.MetadataMigrations metadata;

    @Inject
    dev.freight.upload.storage.DynamoDbUploadRecords records;

    private void makeAbandoned(String fileId) {
        dynamoDb.updateItem(update -> update.tableName(config.storage().table())
                .key(Map.of("file_id", AttributeValue.fromS(fileId)))
                .updateExpression("SET resumable_until = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromS("2020-01-01T00:00:00Z"))));
    }

    private List<Long> counter(String owner) {
        Map<String, Long> counters = storage.quotaCounters(owner);
        return List.of(counters.getOrDefault("open_uploads", 0L), counters.getOrDefault("open_bytes", 0L));
    }

    private static List<String> listAll(String token) {
        List<String> ids = new ArrayList<>();
        String next = null;
        do {
            var request = as(token).queryParam("limit", 100).queryParam("upload_status", "uploading");
            if (next != null) {
                request.queryParam("next_token", next);
            }
            // Without author_name the token's name narrows the listing; these tests' uploads carry it.
            JsonPath page = request.get("/api/upload").then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("uploads.file_id", String.class));
            next = page.getString("next_token");
        } while (next != null);
        return ids;
    }

    private static Response init(String token, long fileSize) {
        return as(token).contentType("application/json").body(Map.of("filename", "q.bin",
                "file_type", "application/octet-stream", "file_size", fileSize)).post("/api/upload/init");
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", token);
    }
}
