package dev.freight.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.support.PackagedApp;
import dev.freight.support.PartSender;
import dev.freight.support.TestFiles;
import dev.freight.upload.model.CompositeChecksum;

/**
 * The packaged app against real AWS S3 and DynamoDB, so anyone with an account can confirm that AWS accepts what
 * Freight sends: a SHA256 upload resumed from storage alone and downloaded by verified parts, and a plain upload.
 * Off unless {@code FREIGHT_REAL_AWS_TEST=true}; then {@code FREIGHT_STORAGE_BUCKET}, {@code FREIGHT_STORAGE_TABLE}
 * and {@code AWS_REGION} name existing storage (or set {@code FREIGHT_STORAGE_PROVISION=true}) and credentials
 * come from the AWS default chain (docs/development.md, "Checking against real AWS").
 */
class RealAwsIT {

    private static final int PART_SIZE = 5 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PackagedApp app;

    @BeforeAll
    static void startApp() throws Exception {
        assumeTrue("true".equals(System.getenv("FREIGHT_REAL_AWS_TEST")), "FREIGHT_REAL_AWS_TEST is not true");
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("FREIGHT_STORAGE_BUCKET", "FREIGHT_STORAGE_TABLE", "AWS_REGION")) {
            assertThat(System.getenv(name)).as(name + " must be set for the real AWS test").isNotBlank();
        }
        for (String client : List.of("S3", "DYNAMODB")) {
            env.put("QUARKUS_" + client + "_AWS_REGION", System.getenv("AWS_REGION"));
            env.put("QUARKUS_" + client + "_AWS_CREDENTIALS_TYPE", "default");
        }
        env.put("FREIGHT_AUTH_ENABLED", "false");
        byte[] tokenKey = new byte[32];
        new java.security.SecureRandom().nextBytes(tokenKey);
        env.put("FREIGHT_UPLOAD_TOKEN_KEYS", java.util.Base64.getEncoder().encodeToString(tokenKey));
        app = new PackagedApp(env, Files.createTempFile("freight-real-aws", ".log"));
        app.start();
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aSha256UploadResumesCompletesAndDownloadsByVerifiedPartsOnAws() throws Exception {
        byte[] file = TestFiles.randomBytes(2 * PART_SIZE + 4321, 90);
        List<String> digests = new ArrayList<>();
        for (int partNumber = 1; partNumber <= 3; partNumber++) {
            digests.add(TestFiles.sha256Base64(TestFiles.part(file, PART_SIZE, partNumber)));
        }
        Map<String, Object> init = init("real-aws-sha256.bin", file.length);
        init.put("checksum_algorithm", "SHA256");
        init.put("parts", List.of(Map.of("part_number", 2, "checksum_sha256", digests.get(1))));
        JsonNode started = app.call("POST", "/api/upload/init", init, 201);
        String fileId = started.get("file_id").asText();
        assertThat(PackagedApp.put(started.get("parts").get(0), TestFiles.part(file, PART_SIZE, 2)).status())
                .isEqualTo(200);

        // Resume with no client state: storage lists part 2 with its checksum.
        JsonNode status = app.call("GET", "/api/upload/" + fileId, null, 200);
        assertThat(status.get("uploaded_parts").findValuesAsText("checksum_sha256")).containsExactly(digests.get(1));
        JsonNode missing = app.call("POST", "/api/upload/refresh_urls", Map.of("file_id", fileId, "parts", List.of(
                Map.of("part_number", 1, "checksum_sha256", digests.get(0)),
                Map.of("part_number", 3, "checksum_sha256", digests.get(2)))), 200);
        for (JsonNode part : missing.get("parts")) {
            int partNumber = part.get("part_number").asInt();
            assertThat(PackagedApp.put(part, TestFiles.part(file, PART_SIZE, partNumber)).status()).isEqualTo(200);
        }
        JsonNode done = app.call("POST", "/api/upload/complete", Map.of("file_id", fileId, "parts",
                heldParts(fileId)), 200);
        assertThat(done.get("object_checksum_sha256").asText()).isEqualTo(CompositeChecksum.ofDigests(digests));

        JsonNode download = app.call("GET", "/api/download/" + fileId + "?parts=true", null, 200);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (JsonNode part : download.get("parts")) {
            Map<String, String> headers = JSON.convertValue(part.get("headers"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            byte[] bytes = PartSender.get(part.get("url").asText(), headers).body();
            assertThat(TestFiles.sha256Base64(bytes)).isEqualTo(part.get("checksum_sha256").asText());
            joined.write(bytes);
        }
        assertThat(joined.toByteArray()).isEqualTo(file);
    }

    @Test
    void aPlainUploadCompletesOnAws() throws Exception {
        byte[] file = TestFiles.randomBytes(PART_SIZE + 99, 91);
        JsonNode started = app.call("POST", "/api/upload/init", init("real-aws-plain.bin", file.length), 201);
        String fileId = started.get("file_id").asText();
        for (JsonNode part : started.get("parts")) {
            int partNumber = part.get("part_number").asInt();
            assertThat(PackagedApp.put(part, TestFiles.part(file, PART_SIZE, partNumber)).status()).isEqualTo(200);
        }
        app.call("POST", "/api/upload/complete", Map.of("file_id", fileId, "parts", heldParts(fileId)), 200);
        String url = app.call("GET", "/api/download/" + fileId, null, 200).get("url").asText();
        assertThat(PartSender.get(url, Map.of()).body()).isEqualTo(file);
    }

    private static Map<String, Object> init(String name, long size) {
        Map<String, Object> body = new HashMap<>(Map.of("filename", name, "file_type", "application/octet-stream",
                "file_size", size, "part_size", PART_SIZE, "author_name", "real-aws-check"));
        return body;
    }

    private static List<Map<String, Object>> heldParts(String fileId) throws Exception {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (JsonNode part : app.call("GET", "/api/upload/" + fileId, null, 200).get("uploaded_parts")) {
            parts.add(Map.of("part_number", part.get("part_number").asInt(), "etag", part.get("etag").asText()));
        }
        return parts;
    }
}
