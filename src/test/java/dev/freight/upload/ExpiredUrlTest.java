package dev.freight.upload;

import static dev.freight.support.FreightApi.headersOf;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.refresh;
import static dev.freight.support.FreightApi.urlOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Storage refuses a URL once it expired; refresh_urls hands out one that works. */
@QuarkusTest
@TestProfile(ExpiredUrlTest.ShortLivedUrls.class)
class ExpiredUrlTest {

    public static class ShortLivedUrls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freight.upload.url-ttl", "PT2S");
        }
    }

    @Test
    void expiredUrlIsRefusedAndARefreshedOneWorks() throws InterruptedException {
        byte[] file = TestFiles.randomBytes(1000, 20);
        JsonPath started = init(initBody("small.txt", file.length, null));
        Instant expiresAt = Instant.parse(started.getString("parts[0].expires_at"));
        assertThat(expiresAt).isBefore(Instant.now().plusSeconds(3));

        Thread.sleep(3_500);
        PartSender.Answer refused = PartSender.put(urlOf(started, 1), headersOf(started, 1), file);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("expired");

        JsonPath fresh = refresh(started.getString("file_id"), List.of(Map.of("part_number", 1)))
                .then().statusCode(200).extract().jsonPath();
        assertThat(PartSender.put(urlOf(fresh, 1), headersOf(fresh, 1), file).status()).isEqualTo(200);
    }
}
