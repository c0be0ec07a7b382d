package dev.freight.upload;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.urlOf;
import static dev.freight.support.TestFiles.MIB;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.S3RequestRecorder;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code download?parts=true} signs a bounded number of part URLs per answer: a page of at most
 * {@code freight.upload.download-batch-size} from {@code first_part} on, with {@code next_part} for the next page;
 * the pages together cover the file exactly once.
 */
@QuarkusTest
@TestProfile(DownloadPagingTest.TwoPerPage.class)
class DownloadPagingTest {

    private static final long PART_SIZE = 5 * MIB;

    /** Two part URLs per download answer. */
    public static class TwoPerPage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freight.upload.download-batch-size", "2");
        }
    }

    @Test
    void partUrlsComeInPagesThatCoverTheFileOnce() throws Exception {
        byte[] file = TestFiles.randomBytes((int) (2 * PART_SIZE) + 999, 77);
        JsonPath started = init(initBody("paged.bin", file.length, PART_SIZE));
        String fileId = started.getString("file_id");
        Map<Integer, String> etags = new TreeMap<>();
        for (int partNumber = 1; partNumber <= 3; partNumber++) {
            etags.put(partNumber, PartSender.put(urlOf(started, partNumber), Map.of(),
                    TestFiles.part(file, PART_SIZE, partNumber)).etag());
        }
        complete(fileId, etags).then().statusCode(200);

        JsonPath first = given().get("/api/download/" + fileId + "?parts=true").then().statusCode(200).extract()
                .jsonPath();
        assertThat(first.getList("parts.part_number", Integer.class)).containsExactly(1, 2);
        assertThat(first.getInt("next_part")).isEqualTo(3);
        JsonPath last = given().get("/api/download/" + fileId + "?parts=true&first_part=3").then().statusCode(200)
                .extract().jsonPath();
        assertThat(last.getList("parts.part_number", Integer.class)).containsExactly(3);
        assertThat((Object) last.get("next_part")).isNull();
        assertThat(last.getLong("parts[0].offset")).isEqualTo(2 * PART_SIZE);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (JsonPath page : List.of(first, last)) {
            for (int index = 0; index < page.getList("parts").size(); index++) {
                joined.write(PartSender.get(page.getString("parts[" + index + "].url"),
                        page.getMap("parts[" + index + "].headers")).body());
            }
        }
        assertThat(joined.toByteArray()).isEqualTo(file);
        // Without parts there is no page to continue.
        Object nextWithoutParts = given().get("/api/download/" + fileId).then().statusCode(200).extract().jsonPath()
                .get("next_part");
        assertThat(nextWithoutParts).isNull();
    }

    @Test
    void aFirstPartOutsideTheFileIsRefused() {
        byte[] file = TestFiles.randomBytes(1000, 78);
        JsonPath started = init(initBody("one.bin", file.length, null));
        String fileId = started.getString("file_id");
        String etag = PartSender.put(urlOf(started, 1), Map.of(), file).etag();
        complete(fileId, Map.of(1, etag)).then().statusCode(200);

        int signedBefore = S3RequestRecorder.all().size();
        for (String firstPart : new String[] { "2", "0", "10001", "-1", "1.5", "x" }) {
            Response refused = given().get("/api/download/" + fileId + "?parts=true&first_part=" + firstPart);
            assertThat(refused.statusCode()).as(firstPart).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("errors[0].field")).as(firstPart).isEqualTo("first_part");
        }
        assertThat(S3RequestRecorder.all()).hasSize(signedBefore);
    }
}
