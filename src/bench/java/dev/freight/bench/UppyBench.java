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
    /**
     * Another copy of {@code js/} (e.g. {@code git archive} of an earlier commit) to run beside this one, so an
     * engine change is timed against the engine before it in the same run: adds the ways {@code package-baseline}
     * and {@code plugin6-baseline}.
     */
    private static final Path BASELINE = System.getProperty("freight.bench.js-baseline", "").isEmpty() ? null
            : Path.of(System.getProperty("freight.bench.js-baseline"));

    /**
     * A way in: its label, its id (for {@code freight.bench.ways}), how its page is reached, the Uppy major version and
     * its part size (0: the size asked of every way; -1: the way's own default).
     */
    private record Way(String label, String id, String kind, int uppy, int partMib) {

        Way(String label, String id, String kind, int uppy) {
            this(label, id, kind, uppy, 0);
        }

        boolean checksums() {
            return kind.equals("page") || kind.equals("package") || kind.equals("plugin");
        }
    }

    /**
     * One timed upload: seconds, the part PUTs seen, the most of them in flight at once and on average over the span
     * from the first PUT's start to the last one's end; when the file was chosen, the first PUT began and the last PUT
     * ended (seconds from choosing); the engine's own phase totals (ms, {@code freight:*} measures, Freight's ways);
     * CPU seconds by role (see {@link CpuByRole}).
     */
    private record Run(double seconds, int parts, int mostInFlight, double meanInFlight, double firstPut,
            double lastPutEnd, Map<String, Double> phases, Map<String, Double> cpu, String tail,
            Map<String, Double> completeCpu) {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.getLong("freight.bench.mib", 64) << 20;
        int rounds = Integer.getInteger("freight.bench.rounds", 1);
        int partSize = Integer.getInteger("freight.bench.part-mib", 16) << 20;
        String companionBin = System.getProperty("freight.bench.companion", "");
        List<String> only = List.of(System.getProperty("freight.bench.ways", "").split(",")).stream()
                .filter(id -> !id.isBlank()).toList();
        boolean pinned = Boolean.getBoolean("freight.bench.pin");
        if (pinned) {
            // The servers (storage in this JVM, the service, Companion: started from here, so they inherit it) on
            // core 0, the browser on core 1 (launchChromium): as if each had a machine of its own.
            taskset(ProcessHandle.current().pid(), 0);
        }
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
                    Browser browser = launchChromium(playwright, pinned)) {
                app.start();
                String freight = "http://127.0.0.1:" + app.port();
                List<Way> ways = new ArrayList<>(List.of(new Way("Freight's page", "page", "page", 0),
                        new Way("@freight/client in a plain page", "package", "package", 0),
                        new Way("@freight/uppy plugin, Uppy 6", "plugin6", "plugin", 6),
                        new Way("Uppy 5 unchanged, Freight's Companion routes", "freight-companion5", "freight-companion", 5),
                        new Way("Uppy 6 unchanged, Freight's Companion routes", "freight-companion6", "freight-companion", 6)));
                if (companion.base() != null) {
                    ways.add(new Way("Uppy 5, real Companion 6.2.2", "companion5", "companion", 5));
                    ways.add(new Way("Uppy 6, real Companion 6.2.2", "companion6", "companion", 6));
                    ways.add(new Way("Uppy 5, real Companion 6.2.2, Uppy's default parts", "companion5-default",
                            "companion", 5, -1));
                    ways.add(new Way("Uppy 6, real Companion 6.2.2, Uppy's default parts", "companion6-default",
                            "companion", 6, -1));
                }
                ways.add(new Way("@freight/uppy plugin, Uppy 5", "plugin5", "plugin", 5));
                if (BASELINE != null) {
                    ways.add(new Way("@freight/client in a plain page, baseline engine", "package-baseline", "package", 0));
                    ways.add(new Way("@freight/uppy plugin, Uppy 6, baseline engine", "plugin6-baseline", "plugin", 6));
                }
                // By default every way but the two least asked for (Uppy 6 at 5 MiB sends 205 parts one at a time).
                List<String> chosen = only.isEmpty() ? List.of("page", "package", "plugin6", "freight-companion5",
                        "freight-companion6", "companion5", "companion6", "companion5-default") : only;
                ways.removeIf(way -> !chosen.contains(way.id()));
                String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
                // Warm-up: the app's JIT, the browser's caches; not counted.
                Path warmUp = work.resolve("warm-up.bin");
                writeFile(warmUp, 32L << 20);
                for (Way way : ways) {
                    upload(browser, way, host, freight, companion, warmUp, partSize);
                    emptyBuckets(s3);
                }
                Map<Way, List<Run>> runs = new LinkedHashMap<>();
                ways.forEach(way -> runs.put(way, new ArrayList<>()));
                for (int round = 0; round < rounds; round++) {
                    // Each round starts one way further on, so no way always follows the same one (the storage's
                    // disk writes and deletes of the run before land in the next).
                    for (int i = 0; i < ways.size(); i++) {
                        Way way = ways.get((i + round) % ways.size());
                        Run run = upload(browser, way, host, freight, companion, file, partSize);
                        emptyBuckets(s3);
                        runs.get(way).add(run);
                        System.out.printf("round %d: %s %.2f s (%d parts, %d at most in flight, %.1f on average;"
                                + " first PUT at %.2f s, last PUT ended at %.2f s; load %s)%n    CPU s: %s%n"
                                + "    after the parts: %s%n    CPU s during complete: %s%n%s",
                                round + 1, way.label(), run.seconds(), run.parts(), run.mostInFlight(),
                                run.meanInFlight(), run.firstPut(), run.lastPutEnd(),
                                Files.readString(Path.of("/proc/loadavg")).trim(), cpuLine(run.cpu()), run.tail(),
                                cpuLine(run.completeCpu()),
                                run.phases().isEmpty() ? "" : "    engine ms: " + phasesLine(run.phases()) + "\n");
                    }
                }
                String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
                System.out.printf("%n%d MiB, %d round(s), part size %d MiB asked of every way; load before %s, after %s%s%n%n",
                        size >> 20, rounds, partSize >> 20, loadBefore, loadAfter,
                        pinned ? "; servers (storage, service, Companion) pinned to core 0, Chromium to core 1" : "");
                System.out.println("| Way | Checksums | Parts (size) | Most parts in flight | Seconds (each round) |"
                        + " Median s | MiB/s (median) |");
                System.out.println("|---|---|---|---|---|---|---|");
                runs.forEach((way, list) -> {
                    double median = median(list.stream().map(Run::seconds).toList());
                    StringBuilder each = new StringBuilder();
                    list.forEach(run -> each.append(each.isEmpty() ? "" : ", ").append(String.format("%.2f", run.seconds())));
                    Run first = list.get(0);
                    // The parts' size as sent: the last part is the rest, so a whole number of MiB rounded up.
                    System.out.printf("| %s | %s | %d (%d MiB) | %d | %s | %.2f | %.1f |%n", way.label(),
                            way.checksums() ? "SHA-256 per part" : "none", first.parts(),
                            first.parts() == 0 ? 0 : (int) Math.ceil(size / 1048576.0 / first.parts()),
                            first.mostInFlight(), each, median, size / 1048576.0 / median);
                });
                System.out.printf("%nWhere the time and the CPU went (medians over the rounds; CPU seconds per run, all"
                        + " processes on the machine's %d cores):%n%n", Runtime.getRuntime().availableProcessors());
                List<String> roles = List.of(CpuByRole.ROLES).stream().filter(role -> !role.equals("harness")).toList();
                System.out.println("| Way | First PUT at s | Last PUT ended at s | Done at s | Parts in flight (mean) |"
                        + " Chromium CPU s | Storage CPU s | All CPU s | " + String.join(" | ", roles) + " |");
                System.out.println("|---|---|---|---|---|---|---|---|" + "---|".repeat(roles.size()));
                runs.forEach((way, list) -> {
                    StringBuilder row = new StringBuilder(String.format("| %s | %.2f | %.2f | %.2f | %.1f | %.2f | %.2f | %.2f |",
                            way.label(), median(list.stream().map(Run::firstPut).toList()),
                            median(list.stream().map(Run::lastPutEnd).toList()),
                            median(list.stream().map(Run::seconds).toList()),
                            median(list.stream().map(Run::meanInFlight).toList()),
                            median(list.stream().map(run -> CpuByRole.chromium(run.cpu())).toList()),
                            median(list.stream().map(run -> CpuByRole.storage(run.cpu())).toList()),
                            median(list.stream().map(run -> run.cpu().values().stream().mapToDouble(Double::doubleValue)
                                    .sum() - run.cpu().get("harness")).toList())));
                    for (String role : roles) {
                        row.append(String.format(" %.2f |", median(list.stream().map(run -> run.cpu().get(role)).toList())));
                    }
                    System.out.println(row);
                });
                digestCost(size);
                System.out.println("\nThis JVM's threads by name, CPU seconds over the whole benchmark: "
                        + CpuByRole.ownThreadsByName().entrySet().stream().filter(thread -> thread.getValue() >= 0.5)
                                .map(thread -> thread.getKey() + " " + String.format("%.1f", thread.getValue()))
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
        } finally {
            deleteTree(work);
        }
        System.exit(0);
    }

    /**
     * One upload in a fresh browser context: timed from choosing the file to the way's "done". Freight's ways run with
     * {@code ?timing}, so the engine records its phases ({@code freight:*} measures, js/src/timing.js).
     */
    private static Run upload(Browser browser, Way way, HostAppServer host, String freight, Companion companion,
            Path file, int partSize) throws Exception {
        try (BrowserContext context = browser.newContext()) {
            context.addInitScript("performance.setResourceTimingBufferSize(100000)");
            Page page = context.newPage();
            String input;
            String done;
            if (way.kind().equals("page")) {
                page.navigate(freight + "/?timing&part_size=" + partSize);
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
                int part = way.partMib() < 0 ? 0 : way.partMib() > 0 ? way.partMib() << 20 : partSize;
                page.navigate(host.origin() + "/page.html?timing&way=" + (way.kind().endsWith("companion") ? "companion" : way.kind())
                        + (way.id().endsWith("-baseline") ? "&engine=/baseline" : "")
                        + "&uppy=" + way.uppy() + "&part=" + part + "&freight=" + encode(freight)
                        + "&companion=" + encode(companionBase));
                page.waitForFunction("() => window.bench?.ready === true");
                input = "#file";
                done = "() => window.bench.done";
            }
            // When the file was chosen, on the page's clock (the listener runs before the page's own).
            page.evaluate("(input) => document.querySelector(input).addEventListener('change',"
                    + " () => { window.benchChosenAt = performance.now(); }, { capture: true })", input);
            // The CPU while storage assembles the file: from the complete call's request to its answer.
            CpuByRole[] aroundComplete = new CpuByRole[2];
            context.onRequest(request -> {
                if (request.url().contains("complete") && aroundComplete[0] == null) {
                    aroundComplete[0] = CpuByRole.now();
                }
            });
            context.onRequestFinished(request -> {
                if (request.url().contains("complete") && aroundComplete[1] == null) {
                    aroundComplete[1] = CpuByRole.now();
                }
            });
            CpuByRole cpuBefore = CpuByRole.now();
            long began = System.nanoTime();
            page.setInputFiles(input, file);
            Object outcome = page.waitForFunction(done, null, new Page.WaitForFunctionOptions()
                    .setPollingInterval(50).setTimeout(20 * 60_000)).jsonValue();
            double seconds = (System.nanoTime() - began) / 1e9;
            Map<String, Double> cpu = CpuByRole.now().since(cpuBefore);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) outcome;
            if (!Boolean.TRUE.equals(result.get("ok"))) {
                throw new IllegalStateException(way.label() + " failed: " + result.get("detail"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> seen = (Map<String, Object>) page.evaluate("""
                    () => {
                      const chosen = window.benchChosenAt ?? 0;
                      const puts = performance.getEntriesByType('resource')
                        .filter((r) => new URL(r.name).searchParams.has('partNumber'));
                      let most = 0;
                      for (const put of puts) {
                        most = Math.max(most, puts.filter((o) => o.startTime <= put.startTime && o.responseEnd > put.startTime).length);
                      }
                      const first = Math.min(...puts.map((p) => p.startTime));
                      const last = Math.max(...puts.map((p) => p.responseEnd));
                      const busy = puts.reduce((sum, p) => sum + (p.responseEnd - p.startTime), 0);
                      // The requests after the parts: what the tail (last PUT to done) is made of.
                      const tail = performance.getEntriesByType('resource')
                        .filter((r) => r.responseEnd > last - 1 && !new URL(r.name).searchParams.has('partNumber'))
                        .map((r) => `${new URL(r.name).pathname.replace(/[0-9a-f-]{36}/g, '{id}').slice(-40)} at`
                          + ` ${((r.startTime - chosen) / 1000).toFixed(2)} for ${(r.duration / 1000).toFixed(2)} s`)
                        .join('; ');
                      const phases = {};
                      for (const m of performance.getEntriesByType('measure')) {
                        if (m.name.startsWith('freight:')) phases[m.name.slice(8)] = (phases[m.name.slice(8)] ?? 0) + m.duration;
                      }
                      return { parts: puts.length, most, mean: busy / Math.max(1, last - first),
                        first: (first - chosen) / 1000, last: (last - chosen) / 1000, phases, tail };
                    }""");
            @SuppressWarnings("unchecked")
            Map<String, Number> phases = (Map<String, Number>) seen.get("phases");
            Map<String, Double> phaseMs = new java.util.TreeMap<>();
            phases.forEach((name, ms) -> phaseMs.put(name, ms.doubleValue()));
            return new Run(seconds, ((Number) seen.get("parts")).intValue(), ((Number) seen.get("most")).intValue(),
                    ((Number) seen.get("mean")).doubleValue(), ((Number) seen.get("first")).doubleValue(),
                    ((Number) seen.get("last")).doubleValue(), phaseMs, cpu, (String) seen.get("tail"),
                    aroundComplete[1] == null || aroundComplete[0] == null ? Map.of()
                            : aroundComplete[1].since(aroundComplete[0]));
        }
    }

    /**
     * Debian's Chromium, headless, launched by Playwright's driver; with {@code pinned} the driver is moved to core 1
     * first, so the browser's processes (forked from it) run there.
     */
    private static Browser launchChromium(Playwright playwright, boolean pinned) throws Exception {
        if (pinned) {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                String command = child.info().commandLine().orElse("");
                if (!command.contains("companion") && !command.contains("quarkus-run.jar")) {
                    taskset(child.pid(), 1);
                }
            }
        }
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(PageBench.CHROMIUM).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
    }

    /** Binds every thread of process {@code pid} (and so the processes it starts later) to one core. */
    private static void taskset(long pid, int core) throws Exception {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(core), Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset failed for " + pid);
        }
    }

    private static String cpuLine(Map<String, Double> cpu) {
        StringBuilder line = new StringBuilder();
        cpu.forEach((role, seconds) -> {
            if (seconds >= 0.05) {
                line.append(line.isEmpty() ? "" : ", ").append(role).append(' ').append(String.format("%.2f", seconds));
            }
        });
        return line.toString();
    }

    private static String phasesLine(Map<String, Double> phases) {
        StringBuilder line = new StringBuilder();
        phases.forEach((phase, ms) -> line.append(line.isEmpty() ? "" : ", ").append(phase).append(' ')
                .append(String.format("%.0f", ms)));
        return line.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * What storage's own checks cost on this machine: one thread's CPU seconds for SHA-256 (what storage computes for every
     * part sent with {@code x-amz-checksum-sha256}, S3Proxy through the AWS SDK's checksum, which uses the JDK's
     * MessageDigest) and MD5 (the ETag of every part, any way) over {@code size} bytes in 16 MiB pieces, in this JVM.
     */
    private static void digestCost(long size) throws Exception {
        byte[] piece = new byte[16 << 20];
        new java.util.Random(1).nextBytes(piece);
        for (String algorithm : List.of("SHA-256", "MD5")) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance(algorithm);
            for (int warm = 0; warm < 8; warm++) {
                digest.update(piece);
            }
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long began = System.nanoTime();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            for (long done = 0; done < size; done += piece.length) {
                digest.update(piece);
            }
            digest.digest();
            System.out.printf("%s in the storage's JVM: %.2f CPU-s (%.2f s wall) on one thread for %d MiB%n", algorithm,
                    (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9, (System.nanoTime() - began) / 1e9, size >> 20);
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
            Path js = Path.of("js");
            if (BASELINE != null && path.startsWith("/baseline/")) {
                js = BASELINE;
                path = path.substring("/baseline".length());
            }
            if (path.equals("/page.html")) {
                body = Files.readAllBytes(Path.of("bench/uppy/page.html"));
                type = "text/html; charset=utf-8";
            } else if (path.matches("/uppy[56]/uppy\\.min\\.mjs")) {
                body = Files.readAllBytes(UPPY.resolve(path.substring(1, 6)).resolve("dist/uppy.min.mjs"));
            } else if (path.matches("/freight-client/[a-z0-9-]+\\.js")) {
                body = Files.readAllBytes(js.resolve("src").resolve(path.substring("/freight-client/".length())));
            } else if (path.matches("/freight-uppy[56]\\.js")) {
                body = Files.readString(js.resolve("uppy/src/index.js"))
                        .replace("from '@uppy/core'", "from '/uppy" + path.charAt(13) + "/uppy.min.mjs'")
                        .replace("from '@freight/client'", "from '" + (js == BASELINE ? "/baseline" : "")
                                + "/freight-client/index.js'")
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
