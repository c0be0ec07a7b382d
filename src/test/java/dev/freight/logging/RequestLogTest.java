package dev.freight.logging;

import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Every request gets one access line and an X-Request-Id; query strings and headers never reach the log. */
@QuarkusTest
class RequestLogTest {

    private static final String UUID_REGEX = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord extended = ExtLogRecord.wrap(record);
            // The MDC lives on the logging thread: copy it before reading the record elsewhere.
            extended.copyMdc();
            records.add(extended);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("dev.freight").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("dev.freight").removeHandler(capture);
    }

    @Test
    void generatesAnIdAndLogsOneLineWithIt() {
        Response answer = given().contentType("application/json").body(initBody("logged.bin", 10, null))
                .post("/api/upload/init?X-Amz-Signature=secret-signature");
        assertThat(answer.statusCode()).isEqualTo(201);
        String requestId = answer.header(RequestLogFilter.HEADER);
        assertThat(requestId).matches(UUID_REGEX);

        ExtLogRecord line = accessLine(requestId);
        assertThat(line.getFormattedMessage()).matches("POST /api/upload/init 201 \\d+ ms");
        // The service's own line about the upload carries the same id.
        assertThat(records).anyMatch(record -> record.getFormattedMessage().startsWith("Upload ")
                && requestId.equals(record.getMdc(RequestLogFilter.MDC_KEY)));
        assertThat(records).noneMatch(record -> record.getFormattedMessage().contains("secret-signature"));
    }

    @Test
    void keepsASaneIncomingIdAndReplacesAnythingElse() {
        String fileId = init(initBody("id.bin", 10, null)).getString("file_id");
        given().header(RequestLogFilter.HEADER, "lb-1234.abc:7").get("/api/upload/" + fileId)
                .then().statusCode(200).header(RequestLogFilter.HEADER, "lb-1234.abc:7");
        assertThat(accessLine("lb-1234.abc:7").getFormattedMessage()).startsWith("GET /api/upload/" + fileId + " 200 ");

        for (String insane : List.of("has spaces", "x".repeat(65), "new\\nline", "<script>")) {
            String replaced = given().header(RequestLogFilter.HEADER, insane).get("/api/upload/" + fileId)
                    .then().statusCode(200).extract().header(RequestLogFilter.HEADER);
            assertThat(replaced).matches(UUID_REGEX);
        }
    }

    @Test
    void errorsCarryTheIdAndSecretsStayOut() {
        Response notFound = given().header("Authorization", "Bearer top-secret-token")
                .get("/api/upload/00000000-0000-4000-8000-000000000000?token=also-secret");
        assertThat(notFound.statusCode()).isEqualTo(404);
        String requestId = notFound.header(RequestLogFilter.HEADER);
        assertThat(accessLine(requestId).getFormattedMessage())
                .isEqualTo("GET /api/upload/00000000-0000-4000-8000-000000000000 404 "
                        + accessLine(requestId).getFormattedMessage().split(" ")[3] + " ms");

        given().contentType("text/plain").body("x").post("/api/upload/init").then().statusCode(415)
                .header(RequestLogFilter.HEADER, org.hamcrest.Matchers.matchesPattern(UUID_REGEX));
        assertThat(records).noneMatch(record -> record.getFormattedMessage().contains("secret"));
    }

    /** The access line of a request; written when the response ends, so it may trail the answer slightly. */
    private ExtLogRecord accessLine(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (ExtLogRecord record : records) {
                if (record.getLoggerName().equals(RequestLogFilter.class.getName())
                        && requestId.equals(record.getMdc(RequestLogFilter.MDC_KEY))) {
                    return record;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no access line for request " + requestId + " in " + records.size() + " records");
    }
}
