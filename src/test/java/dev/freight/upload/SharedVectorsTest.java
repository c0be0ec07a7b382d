package dev.freight.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.support.SharedVectors;
import dev.freight.support.TestFiles;
import dev.freight.upload.model.CompositeChecksum;
import dev.freight.upload.model.PartPlan;
import dev.freight.upload.model.StoredPart;

/** The service against the vectors the page and the Java client are held to ({@code src/test/vectors}). */
class SharedVectorsTest {

    @Test
    void partPlansFollowTheOneRuleForEverySizeAndBound() {
        JsonNode document = SharedVectors.read("part-plans.json");
        int checked = 0;
        for (JsonNode vector : document.path("cases")) {
            JsonNode bounds = document.path("bounds").path(vector.path("bounds").asText());
            long min = bounds.path("min_part_size").asLong();
            long max = bounds.path("max_part_size").asLong();
            // InitRules' default for a request without a wish.
            long wish = vector.path("wished_part_size").isNull() ? bounds.path("default_part_size").asLong()
                    : vector.path("wished_part_size").asLong();
            long fileSize = vector.path("file_size").asLong();
            PartPlan plan = PartPlan.of(fileSize, wish, min, max);
            assertThat(plan).as(vector.toString()).isEqualTo(new PartPlan(fileSize, vector.path("part_size").asLong(),
                    vector.path("part_count").asInt()));
            assertThat(plan.sizeOf(plan.partCount())).as(vector.toString())
                    .isEqualTo(vector.path("last_part_size").asLong());
            // A client that asks for what the rule chose gets exactly that: its pre-hashed first parts stay usable.
            assertThat(PartPlan.of(fileSize, plan.partSize(), min, max)).as(vector.toString()).isEqualTo(plan);
            checked++;
        }
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void compositeChecksumsAreS3s() {
        int checked = 0;
        for (JsonNode vector : SharedVectors.read("composite-checksums.json").path("cases")) {
            List<String> digests = new ArrayList<>();
            if (vector.has("parts")) {
                for (JsonNode part : vector.path("parts")) {
                    assertThat(TestFiles.sha256Base64(bytesOf(part))).isEqualTo(part.path("sha256").asText());
                    digests.add(part.path("sha256").asText());
                }
            } else {
                for (int number = 1; number <= vector.path("parts_sha256_of_decimal_part_numbers").asInt(); number++) {
                    digests.add(TestFiles.sha256Base64(Integer.toString(number).getBytes(StandardCharsets.US_ASCII)));
                }
            }
            String expected = vector.path("composite").asText();
            assertThat(CompositeChecksum.ofDigests(digests)).isEqualTo(expected);
            List<StoredPart> stored = new ArrayList<>();
            for (int index = 0; index < digests.size(); index++) {
                stored.add(new StoredPart(index + 1, 1, "\"etag\"", digests.get(index)));
            }
            assertThat(CompositeChecksum.of(stored)).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void theGeneratorMakesTheBytesTheVectorsDescribe() {
        // Block 0 of seed "s" is SHA-256("s" followed by eight zero bytes): the README's definition, spelled out.
        byte[] input = new byte[9];
        input[0] = 's';
        assertThat(Base64.getEncoder().encodeToString(SharedVectors.generated("s", 0, 32)))
                .isEqualTo(TestFiles.sha256Base64(input));
        byte[] whole = SharedVectors.generated("s", 0, 100);
        byte[] middle = SharedVectors.generated("s", 33, 70);
        for (int i = 0; i < middle.length; i++) {
            assertThat(middle[i]).isEqualTo(whole[33 + i]);
        }
    }

    static byte[] bytesOf(JsonNode part) {
        if (part.has("text")) {
            return part.path("text").asText().getBytes(StandardCharsets.UTF_8);
        }
        return SharedVectors.generated(part.path("generated").path("seed").asText(), 0,
                part.path("generated").path("size").asLong());
    }
}
