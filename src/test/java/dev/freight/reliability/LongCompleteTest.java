package dev.freight.reliability;

import static dev.freight.support.FreightApi.abort;
import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.headersOf;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static dev.freight.support.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.S3Delays;
import dev.freight.support.S3RequestRecorder;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;

/**
 * An assembly that takes longer than a complete call waits (S3 may take minutes for thousands of parts): the call
 * answers 202 {@code completing} with where to poll, retries join the running assembly instead of starting
 * another or timing out into 503s, and the file ends {@code uploaded} once.
 */
@QuarkusTest
@TestProfile(LongCompleteTest.ShortWait.class)
class LongCompleteTest {

    /** A complete call waits one second for storage. */
    public static class ShortWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freight.upload.complete-wait", "1S");
        }
    }

    @Inject
    StorageInspector storage;

    @AfterEach
    void storageAtFullSpeed() {
        S3Delays.delayCompletes(Duration.ZERO);
    }

    @Test
    void aSlowAssemblyAnswersCompletingThenTheFileIsUploadedOnce() throws Exception {
        byte[] file = TestFiles.randomBytes(2 * MIB, 31);
        JsonPath started = init(initBody("slow.bin", file.length, null));
        String fileId = started.getString("file_id");
        PartSender.Answer sent = PartSender.put(urlOf(started, 1), headersOf(started, 1), file);
        assertThat(sent.status()).isEqualTo(200);
        S3Delays.delayCompletes(Duration.ofSeconds(4));

        Response accepted = complete(fileId, Map.of(1, sent.etag()));
        Response retried = complete(fileId, Map.of(1, sent.etag()));

        for (Response answer : new Response[] { accepted, retried }) {
            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(answer.header("Location")).endsWith("/api/upload/" + fileId);
            assertThat(answer.header("Retry-After")).isEqualTo("2");
            assertThat(answer.jsonPath().getString("upload_status")).isEqualTo("completing");
            assertThat(answer.jsonPath().getLong("bytes_uploaded")).isEqualTo(file.length);
        }
        assertThat(status(fileId).getString("upload_status")).isEqualTo("completing");
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("completing");
        assertThat(storage.itemString(fileId, "completing_since")).isNotBlank();
        abort(fileId).then().statusCode(409).contentType("application/problem+json");

        JsonPath done = pollUntilFinal(fileId);

        assertThat(done.getString("upload_status")).isEqualTo("uploaded");
        String key = storage.objectKey(UUID.fromString(fileId));
        assertThat(TestFiles.sha256Hex(storage.object(key))).isEqualTo(TestFiles.sha256Hex(file));
        assertThat(storage.itemString(fileId, "completing_since")).isNull();
        assertThat(S3RequestRecorder.sent(CompleteMultipartUploadRequest.class).stream()
                .filter(request -> ((CompleteMultipartUploadRequest) request.request()).key().equals(key)))
                .as("one assembly, however often complete was called").hasSize(1);
        assertThat(complete(fileId, Map.of(1, sent.etag())).then().statusCode(200).extract().jsonPath()
                .getString("etag")).isEqualTo(done.getString("etag"));
    }

    private static JsonPath pollUntilFinal(String fileId) throws InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            JsonPath answer = status(fileId);
            if (!answer.getString("upload_status").equals("completing")) {
                return answer;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("still completing after 30 s");
    }
}
