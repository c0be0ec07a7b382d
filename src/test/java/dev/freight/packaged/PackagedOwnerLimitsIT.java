package dev.freight.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
import dev.freight.support.PackagedAppEnvironment;
import io.smallrye.jwt.build.Jwt;

/**
 * Two packaged instances sharing storage, with authentication on: concurrent inits at the quota cap give exactly
 * the cap across both, and a next_token from one instance pages on the other; hostile requests get small, quick
 * problems. Start-up refuses token settings
 * without issuer or audience, and authentication off is announced.
 */
class PackagedOwnerLimitsIT {

    private static final String ACCESS_KEY = "packagedtest";
    private static final String SECRET_KEY = "packagedtestsecret";
    private static final String ISSUER = "https://issuer.freight.test";
    private static final String AUDIENCE = "freight-api";
    private static final int CAP = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> apps = new ArrayList<>();
    /** Each instance's management port (probes), by its API port: two instances of one environment differ. */
    private final Map<Integer, Integer> managementPorts = new java.util.HashMap<>();
    private Path dataDir;
    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;

    @BeforeEach
    void startStorage() throws Exception {
        dataDir = Files.createTempDirectory("freight-owner-limits");
        s3 = EmbeddedS3.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY, List.of());
        dynamoDb = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"), 0);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process app : apps) {
            app.destroyForcibly().waitFor();
        }
        dynamoDb.close();
        s3.close();
    }

    @Test
    void fortyConcurrentInitsOnTwoInstancesUnderACapOfThirtyGiveExactlyThirty() throws Exception {
        Map<String, String> env = authOn();
        int first = start("first", env);
        int second = start("second", env);
        String owner = "racer-" + UUID.randomUUID();
        String token = "Bearer " + Jwt.issuer(ISSUER).audience(AUDIENCE).subject(owner).claim("name", "Racer")
                .expiresIn(Duration.ofMinutes(10)).sign("test-keys/privateKey.pem");

        ExecutorService pool = Executors.newFixedThreadPool(40);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int index = 0; index < 40; index++) {
            int port = index % 2 == 0 ? first : second;
            String body = JSON.writeValueAsString(Map.of("filename", "race" + index + ".bin",
                    "file_type", "application/octet-stream", "file_size", 1000));
            answers.add(pool.submit(() -> {
                go.await();
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/upload/init"))
                        .header("Authorization", token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            }));
        }
        go.countDown();
        List<String> created = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
            if (response.statusCode() == 201) {
                created.add(JSON.readTree(response.body()).get("file_id").asText());
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                assertThat(JSON.readTree(response.body()).get("type").asText()).endsWith("quota-exceeded");
                refusals.add(response.body());
            }
        }
        pool.shutdown();
        assertThat(created).hasSize(CAP);
        assertThat(refusals).hasSize(40 - CAP);

        // Both instances list the same 30, and a next_token from one pages on the other (one shared key).
        JsonNode page = get(first, "/api/upload?limit=20", token);
        List<String> listed = new ArrayList<>(page.get("uploads").findValuesAsText("file_id"));
        JsonNode rest = get(second, "/api/upload?limit=20&next_token=" + page.get("next_token").asText(), token);
        listed.addAll(rest.get("uploads").findValuesAsText("file_id"));
        assertThat(rest.get("next_token").isNull()).isTrue();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(created);
    }

    /**
     * Issue 25's hostile requests against the packaged app, auth on: each gets a small, quick 4xx problem and
     * leaves nothing behind (the caller's listing stays empty).
     */
    @Test
    void hostileRequestsGetSmallQuickProblemsAndChangeNothing() throws Exception {
        int port = start("hostile", authOn());
        String base = "http://127.0.0.1:" + port;
        String token = "Bearer " + Jwt.issuer(ISSUER).audience(AUDIENCE).subject("hostile-" + UUID.randomUUID())
                .claim("name", "Hostile").expiresIn(Duration.ofMinutes(10)).sign("test-keys/privateKey.pem");
        StringBuilder emptyParts = new StringBuilder("{\"file_id\":\"" + UUID.randomUUID() + "\",\"parts\":[{}");
        while (emptyParts.length() < 2_090_000) {
            emptyParts.append(",{}");
        }
        String hugeComplete = emptyParts.append("]}").toString();

        // Without a token: 401 under 1 KB, whatever the body.
        HttpResponse<String> anonymous = post(base + "/api/upload/complete", hugeComplete, null, false);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body().length()).isLessThan(1024);
        assertThat(post(base + "/api/upload/init", "{}", null, false).statusCode()).isEqualTo(401);
        // With one: a bounded 400 (the size rule, no element checked).
        HttpResponse<String> bounded = post(base + "/api/upload/complete", hugeComplete, token, false);
        assertThat(bounded.statusCode()).isEqualTo(400);
        assertThat(bounded.body().length()).isLessThan(64 * 1024);
        // Media types that overflowed the old pattern's stack: 400, not 500.
        for (String fileType : new String[] { "text/plain" + "; a=b".repeat(1_300),
                "text/plain; a=\"" + "x".repeat(2_500) + "\"" }) {
            HttpResponse<String> refused = post(base + "/api/upload/init", JSON.writeValueAsString(Map.of(
                    "filename", "a.txt", "file_type", fileType, "file_size", 10)), token, false);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("errors").get(0).get("field").asText()).isEqualTo("file_type");
        }
        // One body limit, chunked or declared: 413 problem.
        for (boolean chunked : new boolean[] { false, true }) {
            HttpResponse<String> tooLarge = post(base + "/api/upload/refresh_urls", "{\"x\":\"" + "y".repeat(2_200_000)
                    + "\"}", token, chunked);
            assertThat(tooLarge.statusCode()).as("chunked " + chunked).isEqualTo(413);
            assertThat(tooLarge.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        // Every spelling of the page's path carries its security headers.
        for (String path : new String[] { "/", "/index.html", "/%69ndex.html", "/index%2Ehtml", "/./index.html",
                "//index.html", "/index.html?x" }) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).as(path)
                    .contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        assertThat(get(port, "/api/upload?author_name=Hostile", token).get("uploads")).isEmpty();
    }

    private HttpResponse<String> post(String url, String body, String token, boolean chunked) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/json")
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startUpRefusesTokenSettingsWithoutIssuerOrAudienceAndSaysWhich() throws Exception {
        Map<String, String> withoutAudience = authOn();
        withoutAudience.remove("MP_JWT_VERIFY_AUDIENCES");
        assertThat(refusedStart("no-audience", withoutAudience)).contains("no audience is set")
                .contains("MP_JWT_VERIFY_AUDIENCES").doesNotContain("no issuer");
        Map<String, String> withoutIssuer = authOn();
        withoutIssuer.remove("MP_JWT_VERIFY_ISSUER");
        assertThat(refusedStart("no-issuer", withoutIssuer)).contains("no issuer is set")
                .contains("MP_JWT_VERIFY_ISSUER").doesNotContain("no audience");
    }

    @Test
    void startUpRefusesAMissingListingKeyOrTheExamplePlaceholderAndSaysWhich() throws Exception {
        Map<String, String> withoutListingKey = authOn();
        withoutListingKey.remove("FREIGHT_LISTING_TOKEN_KEY");
        assertThat(refusedStart("no-listing-key", withoutListingKey))
                .contains("freight.listing.token-key is not set", "FREIGHT_LISTING_TOKEN_KEY");
        Map<String, String> placeholder = authOn();
        placeholder.put("FREIGHT_LISTING_TOKEN_KEY", "REPLACE_ME");
        placeholder.put("FREIGHT_UPLOAD_TOKEN_KEYS", "REPLACE_ME");
        assertThat(refusedStart("placeholder-keys", placeholder))
                .contains("freight.listing.token-key is an example's placeholder")
                .contains("freight.upload.token-keys key 1 is an example's placeholder");
    }

    @Test
    void authenticationOffIsAnnouncedAtStartUpAndOnReadiness() throws Exception {
        int port = start("auth-off", PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(),
                ACCESS_KEY, SECRET_KEY, freePort()));
        assertThat(Files.readString(dataDir.resolve("auth-off.log"))).contains("Authentication is off")
                .contains("every caller is the one owner");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPorts.get(port) + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode check = null;
        for (JsonNode candidate : JSON.readTree(ready.body()).get("checks")) {
            if (candidate.get("name").asText().equals("freight-authentication")) {
                check = candidate;
            }
        }
        assertThat(check).as(ready.body()).isNotNull();
        assertThat(check.get("data").get("enabled").asBoolean()).isFalse();
        assertThat(check.get("data").get("warning").asText()).contains("every caller");
    }

    private Map<String, String> authOn() throws IOException {
        Map<String, String> env = new HashMap<>(PackagedAppEnvironment.forStorage(s3.endpoint(), dynamoDb.endpoint(),
                ACCESS_KEY, SECRET_KEY, 0));
        env.put("FREIGHT_AUTH_ENABLED", "true");
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", Path.of("src/test/resources/test-keys/publicKey.pem")
                .toAbsolutePath().toUri().toString());
        env.put("MP_JWT_VERIFY_ISSUER", ISSUER);
        env.put("MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
        env.put("FREIGHT_QUOTA_MAX_OPEN_UPLOADS", Integer.toString(CAP));
        env.put("FREIGHT_LISTING_TOKEN_KEY", "shared-listing-key-0123456789abcdef");
        return env;
    }

    /** Starts an instance on a free port and waits until it answers; returns the port. */
    private int start(String name, Map<String, String> env) throws Exception {
        int port = freePort();
        Process app = launch(name, env, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("app exited; see " + dataDir.resolve(name + ".log")).isTrue();
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPorts.get(port) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("app did not answer within 90 s: " + Files.readString(dataDir.resolve(name + ".log")));
    }

    /** Starts an instance that must refuse to run; returns its log. */
    private String refusedStart(String name, Map<String, String> env) throws Exception {
        Process app = launch(name, env, freePort());
        assertThat(app.waitFor(90, TimeUnit.SECONDS)).as("app still running").isTrue();
        assertThat(app.exitValue()).isNotZero();
        return Files.readString(dataDir.resolve(name + ".log"));
    }

    private Process launch(String name, Map<String, String> env, int port) throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("run after `package`: failsafe does").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int managementPort = freePort();
        builder.environment().put(PackagedAppEnvironment.MANAGEMENT_PORT, Integer.toString(managementPort));
        managementPorts.put(port, managementPort);
        Process app = builder.start();
        apps.add(app);
        return app;
    }

    private JsonNode get(int port, String path, String token) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
