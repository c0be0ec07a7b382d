package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.freight.client.internal.Digests;
import dev.freight.client.internal.Json;
import dev.freight.client.internal.RetryDecision;
import dev.freight.client.internal.UploadPlan;

/**
 * The library against the vectors the service and the browser app are held to (the repository's
 * {@code src/test/vectors}; its README.md says what each file holds).
 */
class SharedVectorsTest {

    @Test
    void partPlansAreTheServicesRule() throws IOException {
        JsonNode document = read("part-plans.json");
        int checked = 0;
        for (JsonNode vector : document.path("cases")) {
            JsonNode bounds = document.path("bounds").path(vector.path("bounds").asText());
            long min = bounds.path("min_part_size").asLong();
            long max = bounds.path("max_part_size").asLong();
            long wish = vector.path("wished_part_size").isNull() ? bounds.path("default_part_size").asLong()
                    : vector.path("wished_part_size").asLong();
            long fileSize = vector.path("file_size").asLong();
            long partSize = UploadPlan.partSize(wish, fileSize, min, max);
            assertThat(partSize).as(vector.toString()).isEqualTo(vector.path("part_size").asLong());
            assertThat(Math.max(1, (fileSize + partSize - 1) / partSize)).as(vector.toString())
                    .isEqualTo(vector.path("part_count").asLong());
            // What the library asks for, the service keeps: the first parts hashed before init stay usable.
            assertThat(UploadPlan.partSize(partSize, fileSize, min, max)).isEqualTo(partSize);
            if (vector.path("bounds").asText().equals("service defaults") && !vector.path("wished_part_size").isNull()) {
                assertThat(UploadPlan.partSize(wish, fileSize)).isEqualTo(partSize);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void compositeChecksumsAreS3s() throws IOException {
        for (JsonNode vector : read("composite-checksums.json").path("cases")) {
            List<String> digests = new ArrayList<>();
            if (vector.has("parts")) {
                for (JsonNode part : vector.path("parts")) {
                    byte[] bytes = part.has("text") ? part.path("text").asText().getBytes(StandardCharsets.UTF_8)
                            : generated(part.path("generated").path("seed").asText(), 0,
                                    part.path("generated").path("size").asLong());
                    assertThat(Digests.base64(Digests.sha256().digest(bytes))).isEqualTo(part.path("sha256").asText());
                    digests.add(part.path("sha256").asText());
                }
            } else {
                for (int number = 1; number <= vector.path("parts_sha256_of_decimal_part_numbers").asInt(); number++) {
                    digests.add(Digests.base64(Digests.sha256().digest(
                            Integer.toString(number).getBytes(StandardCharsets.US_ASCII))));
                }
            }
            assertThat(Digests.composite(digests)).isEqualTo(vector.path("composite").asText());
        }
    }

    @Test
    void fingerprintsAreThePagesUpTo5TiB() throws IOException {
        for (JsonNode vector : read("fingerprints.json").path("cases")) {
            String seed = vector.path("generated").path("seed").asText();
            long size = vector.path("generated").path("size").asLong();
            assertThat(Digests.fingerprint(new GeneratedSource(seed, size))).as(vector.toString())
                    .isEqualTo(vector.path("fingerprint").asText());
        }
    }

    @Test
    void storageErrorsAreReadAndSortedAsThePageDoes() throws IOException {
        for (JsonNode vector : read("storage-errors.json").path("cases")) {
            String code = RetryDecision.storageCode(vector.path("body").asText());
            assertThat(code).as(vector.toString()).isEqualTo(vector.path("code").isNull() ? null
                    : vector.path("code").asText());
            assertThat(RetryDecision.forStorage(vector.path("status").asInt(), code).name().toLowerCase())
                    .as(vector.toString()).isEqualTo(vector.path("class").asText());
        }
    }

    @Test
    void retryDecisionsAreThePages() throws IOException {
        JsonNode document = read("retry-decisions.json");
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.maxAttempts()).isEqualTo(document.path("attempts").asInt());
        assertThat(RetryPolicy.RETRY_AFTER_CAP_MILLIS).isEqualTo(document.path("retry_after_cap_ms").asLong());
        for (JsonNode vector : document.path("cases")) {
            JsonNode failure = vector.path("failure");
            RetryDecision.Action action;
            if (failure.has("network")) {
                action = RetryDecision.Action.RETRY;
            } else if (vector.path("target").asText().equals("service")) {
                action = RetryDecision.forService(failure.path("status").asInt());
            } else {
                action = RetryDecision.forStorage(failure.path("status").asInt(),
                        RetryDecision.storageCode(failure.path("body").asText()));
            }
            String retryAfter = failure.has("retry_after") ? failure.path("retry_after").asText() : null;
            int attempt = vector.path("retries_so_far").asInt() + 1;
            long wait = -1;
            if (action == RetryDecision.Action.RETRY || action == RetryDecision.Action.THROTTLE) {
                wait = RetryDecision.waitAfter(attempt, retryAfter, policy);
                if (wait < 0) {
                    action = RetryDecision.Action.FAIL;
                }
            }
            assertThat(action.name().toLowerCase()).as(vector.toString())
                    .isEqualTo(vector.path("expect").path("action").asText());
            JsonNode bounds = vector.path("expect").path("delay_ms");
            if (bounds.isArray()) {
                assertThat(wait).as(vector.toString()).isBetween(bounds.get(0).asLong(), bounds.get(1).asLong());
            }
        }
    }

    /** The vectors folder, found upwards from the working directory (client/library when Maven runs the tests). */
    static JsonNode read(String name) throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("src/test/vectors").resolve(name);
            if (Files.isRegularFile(file)) {
                return Json.MAPPER.readTree(Files.readAllBytes(file));
            }
        }
        throw new IOException("src/test/vectors/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** Bytes {@code [start, end)} of the generated file {@code seed}: block k is SHA-256(seed ‖ k as 8 bytes, BE). */
    static byte[] generated(String seed, long start, long end) {
        byte[] out = new byte[Math.toIntExact(end - start)];
        for (long block = start / 32; block * 32 < end; block++) {
            MessageDigest digest = Digests.sha256();
            digest.update(seed.getBytes(StandardCharsets.UTF_8));
            for (int shift = 56; shift >= 0; shift -= 8) {
                digest.update((byte) (block >>> shift));
            }
            byte[] bytes = digest.digest();
            for (int i = 0; i < 32; i++) {
                long at = block * 32 + i;
                if (at >= start && at < end) {
                    out[(int) (at - start)] = bytes[i];
                }
            }
        }
        return out;
    }

    /** A generated file of any size: the fingerprint reads only its three samples. */
    private static final class GeneratedSource implements UploadSource {
        private final String seed;
        private final long size;

        GeneratedSource(String seed, long size) {
            this.seed = seed;
            this.size = size;
        }

        @Override
        public String name() {
            return seed;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long lastModified() {
            return -1;
        }

        @Override
        public InputStream openAt(long offset) {
            return new ByteArrayInputStream(generated(seed, offset, Math.min(size, offset + 64 * 1024)));
        }
    }
}
