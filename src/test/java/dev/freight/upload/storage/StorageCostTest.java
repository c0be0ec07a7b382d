package dev.freight.upload.storage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.freight.security.AuthEnabledProfile;
import dev.freight.security.Tokens;
import dev.freight.support.PartSender;
import dev.freight.support.StorageCalls;
import dev.freight.support.StorageCalls.Cost;
import dev.freight.support.TestFiles;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * What each API call costs in DynamoDB and S3, as production runs it (authentication on, quotas on): the exact
 * requests each call sends and the capacity units the DynamoDB engine charges for them by AWS's rules. A change that
 * adds a request fails here; the table this prints is the one in docs/operations.md.
 */
@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
class StorageCostTest {

    private static final int PART = 5 * TestFiles.MIB;
    private static final int URL_BATCH = 100;
    private static final String HEADER =
            "| call | DynamoDB requests | read units | write units (on indexes) | S3 requests |";

    private final String token = "Bearer " + Tokens.valid("cost-" + UUID.randomUUID(), "Cost");
    private final Map<String, Cost> table = new LinkedHashMap<>();

    @Test
    void eachCallSendsTheseRequestsAndSpendsTheseUnits() throws IOException {
        byte[] small = TestFiles.randomBytes(1000, 28);
        JsonPath plain = measureAnswer("init (plain, 1 part)", () -> init(small.length, false, 1, small));
        String plainId = plain.getString("file_id");
        measure("refresh_urls (plain, no token, no parts)", () -> as().body(Map.of("file_id", plainId)).post("/api/upload/refresh_urls")
                .then().statusCode(200));
        measure("refresh_urls (upload_token, parts)", () -> as().body(Map.of("file_id", plainId, "upload_token",
                plain.getString("upload_token"), "parts", List.of(Map.of("part_number", 1))))
                .post("/api/upload/refresh_urls").then().statusCode(200).body("parts[0].part_number", is(1)));
        String etag = PartSender.put(plain.getString("parts[0].url"), Map.of(), small).etag();
        measure("status", () -> as().get("/api/upload/" + plainId).then().statusCode(200));
        measure("complete (plain, 1 part)", () -> complete(plainId, List.of(part(1, etag, null))));

        JsonPath aborted = init(small.length, false, 1, small);
        measure("abort", () -> as().body(Map.of("file_id", aborted.getString("file_id"))).post("/api/upload/abort")
                .then().statusCode(204));

        byte[] one = TestFiles.randomBytes(1000, 29);
        checksummed("1 part", one);
        byte[] three = TestFiles.randomBytes(2 * PART + 1000, 30);
        checksummed("3 parts", three);

        byte[] digestSource = new byte[0];
        JsonPath largest = measureAnswer("init (SHA256, 10,000 parts)", () -> init(10_000L * PART, true, 10_000,
                digestSource));
        measure("abort (SHA256, 10,000 parts)", () -> as().body(Map.of("file_id", largest.getString("file_id")))
                .post("/api/upload/abort").then().statusCode(204));

        // The first listing of an instance asks once whether the table still has the unsharded index of earlier
        // versions; the rows below are every later listing's.
        as().get("/api/upload").then().statusCode(200);
        measure("listing page (all)", () -> as().queryParam("limit", 20).get("/api/upload").then().statusCode(200));
        measure("listing page (resume: author, uploading)", () -> as().queryParam("limit", 20)
                .queryParam("author_name", "Cost").queryParam("upload_status", "uploading").get("/api/upload")
                .then().statusCode(200));

        Log.info("What each call sends to storage:\n" + String.join("\n", rows()));
        table.forEach((call, cost) -> Log.infof("%s: units by table/index %s", call, cost.unitsByTarget()));
        // A request added or removed, or units changed, fails here: the documented table is the expectation.
        assertThat(rows()).as("docs/operations.md, \"What each call costs in DynamoDB and S3\" (update it with the "
                + "table this test logs when the change is meant)").containsExactlyElementsOf(documentedRows());
    }

    private void checksummed(String label, byte[] file) {
        int parts = (file.length + PART - 1) / PART;
        JsonPath started = measureAnswer("init (SHA256, " + label + ")", () -> init(file.length, true, parts, file));
        String fileId = started.getString("file_id");
        List<Map<String, Object>> sent = new ArrayList<>();
        for (int number = 1; number <= parts; number++) {
            byte[] bytes = TestFiles.part(file, PART, number);
            Map<String, String> headers = started.getMap("parts.find { it.part_number == " + number + " }.headers");
            String url = started.getString("parts.find { it.part_number == " + number + " }.url");
            sent.add(part(number, PartSender.put(url, headers, bytes).etag(), TestFiles.sha256Base64(bytes)));
        }
        measure("complete (SHA256, " + label + ")", () -> complete(fileId, sent));
    }

    private JsonPath init(long size, boolean sha256, int parts, byte[] file) {
        Map<String, Object> body = new HashMap<>(Map.of("filename", "cost.bin", "file_type",
                "application/octet-stream", "file_size", size, "author_name", "Cost", "part_size", PART));
        if (sha256) {
            body.put("checksum_algorithm", "SHA256");
            List<Map<String, Object>> digests = new ArrayList<>();
            // The first parts (one answer's batch of URLs) with their digests.
            for (int number = 1; number <= Math.min(parts, URL_BATCH); number++) {
                // Declared digests: an init reads no bytes, so a declared 10,000-part upload needs none.
                byte[] bytes = file.length == 0 ? Integer.toString(number).getBytes() : TestFiles.part(file, PART, number);
                digests.add(Map.of("part_number", number, "checksum_sha256", TestFiles.sha256Base64(bytes)));
            }
            body.put("parts", digests);
        }
        return as().body(body).post("/api/upload/init").then().statusCode(201).extract().jsonPath();
    }

    private void complete(String fileId, List<Map<String, Object>> parts) {
        as().body(Map.of("file_id", fileId, "parts", parts)).post("/api/upload/complete").then().statusCode(200);
    }

    private static Map<String, Object> part(int number, String etag, String checksum) {
        Map<String, Object> part = new HashMap<>(Map.of("part_number", number, "etag", etag));
        if (checksum != null) {
            part.put("checksum_sha256", checksum);
        }
        return part;
    }

    private RequestSpecification as() {
        return given().header("Authorization", token).contentType("application/json");
    }

    private <T> T measureAnswer(String call, Supplier<T> run) {
        Object[] answer = new Object[1];
        table.put(call, StorageCalls.of(() -> answer[0] = run.get()));
        @SuppressWarnings("unchecked")
        T result = (T) answer[0];
        return result;
    }

    private void measure(String call, Runnable run) {
        table.put(call, StorageCalls.of(run));
    }

    /** The table as docs/operations.md holds it: one row per call. */
    private List<String> rows() {
        List<String> rows = new ArrayList<>(List.of(HEADER, "|---|---|---|---|---|"));
        table.forEach((call, cost) -> rows.add("| " + call + " | " + listed(cost.dynamoDbCalls()) + " | "
                + units(cost.readUnits()) + " | " + units(cost.writeUnits()) + " (" + units(cost.indexWriteUnits())
                + ") | " + listed(cost.s3Calls()) + " |"));
        return rows;
    }

    private static String listed(List<String> calls) {
        return calls.isEmpty() ? "none" : String.join(", ", calls);
    }

    private static String units(double units) {
        return units == Math.rint(units) ? Long.toString((long) units) : Double.toString(units);
    }

    /** The table's lines in docs/operations.md, from its header to the first line that is not a row. */
    private static List<String> documentedRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/operations.md"));
        int header = lines.indexOf(HEADER);
        assertThat(header).as("docs/operations.md holds the table headed " + HEADER).isNotNegative();
        List<String> rows = new ArrayList<>();
        for (int index = header; index < lines.size() && lines.get(index).startsWith("|"); index++) {
            rows.add(lines.get(index));
        }
        return rows;
    }
}
