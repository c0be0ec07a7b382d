package dev.freight.reliability;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.status;
import static dev.freight.support.FreightApi.urlOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A crash between S3 assembling the object and DynamoDB recording it: the next status or complete finds the
 * object in S3 and repairs the record.
 */
@QuarkusTest
class ReconciliationTest {

    @Inject
    S3Client s3;

    @Inject
    FreightConfig config;

    @Inject
    StorageInspector storage;

    @Test
    void statusRepairsARecordWhoseCompleteDiedHalfway() {
        Assembled assembled = assembleBehindTheServicesBack(60);

        JsonPath repaired = status(assembled.fileId);
        assertThat(repaired.getString("upload_status")).isEqualTo("uploaded");
        assertThat(repaired.getString("etag")).isEqualTo(assembled.etag);
        assertThat(storage.itemString(assembled.fileId, "upload_status")).isEqualTo("uploaded");
        assertThat(storage.itemString(assembled.fileId, "etag")).isEqualTo(assembled.etag);
        assertThat(storage.item(assembled.fileId).orElseThrow()).doesNotContainKey("expires_at");
    }

    @Test
    void completeRetriedAfterTheCrashAnswersUploaded() {
        Assembled assembled = assembleBehindTheServicesBack(61);

        JsonPath done = complete(assembled.fileId, Map.of(1, assembled.partEtag)).then().statusCode(200)
                .extract().jsonPath();
        assertThat(done.getString("upload_status")).isEqualTo("uploaded");
        assertThat(done.getString("etag")).isEqualTo(assembled.etag);
        assertThat(storage.itemString(assembled.fileId, "upload_status")).isEqualTo("uploaded");
    }

    private record Assembled(String fileId, String partEtag, String etag) {
    }

    /** What a complete does in S3 before it records anything: then "the process dies". */
    private Assembled assembleBehindTheServicesBack(long seed) {
        byte[] file = TestFiles.randomBytes(4000, seed);
        JsonPath started = init(initBody("crash.bin", file.length, null));
        String fileId = started.getString("file_id");
        String partEtag = PartSender.put(urlOf(started, 1), Map.of(), file).etag();
        String etag = s3.completeMultipartUpload(request -> request.bucket(config.storage().bucket())
                .key(storage.objectKey(java.util.UUID.fromString(fileId))).uploadId(started.getString("upload_id"))
                .multipartUpload(upload -> upload.parts(part -> part.partNumber(1).eTag(partEtag)))).eTag();
        assertThat(storage.itemString(fileId, "upload_status")).isEqualTo("uploading");
        return new Assembled(fileId, partEtag, etag);
    }
}
