package dev.freight.bench;

import java.io.IOException;


import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.freight.embedded.EmbeddedDynamoDb;
import dev.freight.embedded.EmbeddedS3;
import dev.freight.support.HostAppServer;
import dev.freight.support.PackagedApp;
import dev.freight.support.PackagedAppEnvironment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * One file uploaded in Chromium by every way into Freight, and by Uppy with its own Companion, on the same storage
 * (the embedded S3Proxy behind the AWS-rules gateway) in alternating rounds: Freight's page; @freight/client in a plain
 * page; the @freight/uppy plugin in Uppy 6; unchanged Uppy 5 and 6 through Freight's Companion routes; Uppy 5 and 6
 * with real Companion (when {@code freight.bench.companion} names its {@code companion} executable). Each upload is
 * timed from choosing the file to the way's own "done"; the parts' PUTs are read from Resource Timing (how many parts,
 * most at once). Run with {@code bench/uppy.sh}; prints a table (docs/BENCHMARKS.md, "Uppy and the JS package").
 */
public final class UppyBench {

    private static final String KEY = "uppybench";
    private static final String SECRET = "uppybenchsecret";
    private static final String BUCKET = "freight-uploads";
    private static final String COMPANION_BUCKET = "companion-uploads";
    private static final Path UPPY = Path.of("src/test/uppy/node_modules");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A way in: its label and how to reach the file input of its page. */
    private record Way(String label, String kind, int uppy) {
    }

    /** One timed upload: seconds, the part PUTs seen and the most of them in flight at once. */
    private record Run(double seconds, int parts, int mostInFlight) {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.getLong("freight.bench.mib", 64) << 20;
        int rounds = Integer.getInteger("freight.bench.rounds", 1);
        int partSize = Integer.getInteger("freight.bench.part-mib", 16) << 20;
        String companionBin = System.getProperty("freight.bench.companion", "");
        Path work = Files.createTempDirectory("freight-uppy-bench");
        Path file = work.resolve("upload.bin");
        writeFile(file, size);
        int s3Port = PackagedAppEnvironment.freePort();
        URI s3Endpoint = URI.create("http://127.0.0.1:" + s3Port);
        try (HostAppServer host = hostApp();
                EmbeddedS3 storage = EmbeddedS3.start(work.resolve("s3"), s3Port, KEY, SECRET, List.of("*"));
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(work.resolve("dynamodb"), 0);
                S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                        .endpointOverride(s3Endpoint)
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            Map<String, String> env = new HashMap<>(PackagedAppEnvironment.forStorage(s3Endpoint, dynamoDb.endpoint(),
                    KEY, SECRET, 0));
            env.put("QUARKUS_HTTP_CORS_ORIGINS", host.origin());
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            try (PackagedApp app = new PackagedApp(env, work.resolve("app.log"));
                    Companion companion = Companion.start(companionBin, s3Endpoint, host.origin(), work, s3);
                    Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                            .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                    Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(PageBench.CHROMIUM).setHeadless(true)
                            .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                    "--no-first-run")))) {
                app.start();
                String freight = "http://127.0.0.1:" + app.port();
                List<Way> ways = new ArrayList<>(List.of(new Way("Freight's page", "page", 0),
                        new Way("@freight/client in a plain page", "package", 0),
                        new Way("@freight/uppy plugin, Uppy 6", "plugin", 6),
                        new Way("Uppy 5 unchanged, Freight's Companion routes", "freight-companion", 5),
                        new Way("Uppy 6 unchanged, Freight's Companion routes", "freight-companion", 6)));
                if (companion.base() != null) {
                    ways.add(new Way("Uppy 5, real Companion 6.2.2", "companion", 5));
                    ways.add(new Way("Uppy 6, real Companion 6.2.2", "companion", 6));
                }
                String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
                // Warm-up: the app's JIT, the browser's caches; not counted.
                Path warmUp = work.resolve("warm-up.bin");
                writeFile(warmUp, 32L << 20);
                for (Way way : ways) {
                    upload(browser, way, host, freight, companion, warmUp, partSize);
                    emptyBuckets(s3);
                }
                Map<Way, List<Run>> runs = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (Way way : ways) {
                        Run run = upload(browser, way, host, freight, companion, file, partSize);
                        emptyBuckets(s3);
                        runs.computeIfAbsent(way, w -> new ArrayList<>()).add(run);
                        System.out.printf("round %d: %s %.2f s (%d parts, %d at most in flight; load %s)%n", round + 1,
                                way.label(), run.seconds(), run.parts(), run.mostInFlight(),
                                Files.readString(Path.of("/proc/loadavg")).trim());
                    }
                }
                String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
                System.out.printf("%n%d MiB, %d round(s), part size %d MiB asked of every way; load before %s, after %s%n%n",
                        size >> 20, rounds, partSize >> 20, loadBefore, loadAfter);
                System.out.println("| Way | Checksums | Parts (size) | Most parts in flight | Seconds (each round) | MiB/s (best) |");
                System.out.println("|---|---|---|---|---|---|");
                runs.forEach((way, list) -> {
                    double best = list.stream().mapToDouble(Run::seconds).min().orElseThrow();
                    StringBuilder each = new StringBuilder();
                    list.forEach(run -> each.append(each.isEmpty() ? "" : ", ").append(String.format("%.2f", run.seconds())));
                    Run first = list.get(0);
                    boolean checksums = way.kind().equals("page") || way.kind().equals("package") || way.kind().equals("plugin");
                    // The parts' size as sent: the last part is the rest, so a whole number of MiB rounded up.
                    System.out.printf("| %s | %s | %d (%d MiB) | %d | %s | %.1f |%n", way.label(),
                            checksums ? "SHA-256 per part" : "none", first.parts(),
                            first.parts() == 0 ? 0 : (int) Math.ceil(size / 1048576.0 / first.parts()),
                            first.mostInFlight(), each, size / 1048576.0 / best);
                });
            }
        } finally {
            deleteTree(work);
        }
        System.exit(0);
    }

    /** One upload in a fresh browser context: timed from choosing the file to the way's "done". */
    private static Run upload(Browser browser, Way way, HostAppServer host, String freight, Companion companion,
            Path file, int partSize) throws Exception {
        try (BrowserContext context = browser.newContext()) {
            context.addInitScript("performance.setResourceTimingBufferSize(100000)");
            Page page = context.newPage();
            String input;
            String done;
            if (way.kind().equals("page")) {
                page.navigate(freight + "/");
                page.waitForSelector("body[data-ready=true]");
                input = "#file-input";
                done = "() => document.querySelector('li.upload[data-state=done], li.upload[data-state=failed]')"
                        + " && { ok: !!document.querySelector('li.upload[data-state=done]'),"
                        + " detail: document.querySelector('li.upload .message')?.textContent ?? '' }";
            } else {
                String companionBase = switch (way.kind()) {
                    case "freight-companion" -> way.uppy() == 5 ? freight + "/companion" : capability(freight);
                    case "companion" -> companion.base();
                    default -> "";
                };
                page.navigate(host.origin() + "/page.html?way=" + (way.kind().endsWith("companion") ? "companion" : way.kind())
                        + "&uppy=" + way.uppy() + "&part=" + partSize + "&freight=" + encode(freight)
                        + "&companion=" + encode(companionBase));
                page.waitForFunction("() => window.bench?.ready === true");
                input = "#file";
                done = "() => window.bench.done";
            }
            long began = System.nanoTime();
            page.setInputFiles(input, file);
            Object outcome = page.waitForFunction(done, null, new Page.WaitForFunctionOptions()
                    .setPollingInterval(50).setTimeout(20 * 60_000)).jsonValue();
            double seconds = (System.nanoTime() - began) / 1e9;
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) outcome;
            if (!Boolean.TRUE.equals(result.get("ok"))) {
                throw new IllegalStateException(way.label() + " failed: " + result.get("detail"));
            }
            @SuppressWarnings("unchecked")
            List<Number> parts = (List<Number>) page.evaluate("""
                    () => {
                      const puts = performance.getEntriesByType('resource')
                        .filter((r) => new URL(r.name).searchParams.has('partNumber'));
                      let most = 0;
                      for (const put of puts) {
                        most = Math.max(most, puts.filter((o) => o.startTime <= put.startTime && o.responseEnd > put.startTime).length);
                      }
                      return [puts.length, most];
                    }""");
            return new Run(seconds, parts.get(0).intValue(), parts.get(1).intValue());
        }
    }

    /** Uppy 6's Companion mode sends no Authorization: a capability URL, as the app's backend would ask for. */
    private static String capability(String freight) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(freight + "/api/companion/capabilities")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("capability: " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body()).get("companion_url").asText();
    }

    /** Storage keeps no benchmark file: a 1 GiB run would fill the temp disk. */
    private static void emptyBuckets(S3Client s3) {
        for (String bucket : List.of(BUCKET, COMPANION_BUCKET)) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                continue;
            }
            s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents()
                    .forEach(object -> s3.deleteObject(delete -> delete.bucket(bucket).key(object.key())));
            s3.listMultipartUploads(list -> list.bucket(bucket)).uploads().forEach(open -> s3.abortMultipartUpload(
                    abort -> abort.bucket(bucket).key(open.key()).uploadId(open.uploadId())));
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Real Uppy Companion (npm {@code @uppy/companion}, run standalone under Node) with its S3 options pointed at the
     * same storage, in a bucket of its own; none when no executable is given.
     */
    private record Companion(Process process, String base) implements AutoCloseable {

        static Companion start(String executable, URI s3Endpoint, String origin, Path work, S3Client s3)
                throws Exception {
            if (executable.isEmpty()) {
                return new Companion(null, null);
            }
            s3.createBucket(create -> create.bucket(COMPANION_BUCKET));
            int port = PackagedAppEnvironment.freePort();
            ProcessBuilder builder = new ProcessBuilder(executable).redirectErrorStream(true)
                    .redirectOutput(work.resolve("companion.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("COMPANION_PORT", Integer.toString(port));
            env.put("COMPANION_DOMAIN", "127.0.0.1:" + port);
            env.put("COMPANION_PROTOCOL", "http");
            env.put("COMPANION_DATADIR", Files.createDirectories(work.resolve("companion-data")).toString());
            env.put("COMPANION_SECRET", "uppy-bench-companion-secret");
            env.put("COMPANION_CLIENT_ORIGINS", origin);
            env.put("COMPANION_AWS_KEY", KEY);
            env.put("COMPANION_AWS_SECRET", SECRET);
            env.put("COMPANION_AWS_BUCKET", COMPANION_BUCKET);
            env.put("COMPANION_AWS_REGION", "us-east-1");
            env.put("COMPANION_AWS_ENDPOINT", s3Endpoint.toString());
            env.put("COMPANION_AWS_FORCE_PATH_STYLE", "true");
            Process process = builder.start();
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            for (int tries = 0; tries < 300; tries++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Companion exited: " + Files.readString(work.resolve("companion.log")));
                }
                try {
                    http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.discarding());
                    return new Companion(process, base);
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("Companion did not answer in 30 s");
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.destroy();
                process.waitFor();
            }
        }
    }

    /**
     * The host app's web server on its own origin: the benchmark page, the Uppy bundles, @freight/client from js/src
     * (as a bundler copies it, so the hashing workers start on this origin) and the plugin with its bare imports
     * resolved as a bundler does.
     */
    private static HostAppServer hostApp() {
        return new HostAppServer(path -> {
            byte[] body = null;
            String type = "text/javascript";
            if (path.equals("/page.html")) {
                body = Files.readAllBytes(Path.of("bench/uppy/page.html"));
                type = "text/html; charset=utf-8";
            } else if (path.matches("/uppy[56]/uppy\\.min\\.mjs")) {
                body = Files.readAllBytes(UPPY.resolve(path.substring(1, 6)).resolve("dist/uppy.min.mjs"));
            } else if (path.matches("/freight-client/[a-z0-9-]+\\.js")) {
                body = Files.readAllBytes(Path.of("js/src").resolve(path.substring("/freight-client/".length())));
            } else if (path.matches("/freight-uppy[56]\\.js")) {
                body = Files.readString(Path.of("js/uppy/src/index.js"))
                        .replace("from '@uppy/core'", "from '/uppy" + path.charAt(13) + "/uppy.min.mjs'")
                        .replace("from '@freight/client'", "from '/freight-client/index.js'")
                        .getBytes(StandardCharsets.UTF_8);
            }
            return new HostAppServer.Served(body, type);
        });
    }

    /** Random bytes (incompressible), written in 1 MiB blocks. */
    private static void writeFile(Path file, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        java.util.Random random = new java.util.Random(29);
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
