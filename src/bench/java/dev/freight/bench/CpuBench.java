package dev.freight.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Service CPU per upload's init and complete, warm, for several JIT forms of the packaged app, beside each form's
 * start-up (issue 28, "Less CPU per upload"). Each form is started as docs/deployment.md runs it (section 5's
 * {@link StartupBench}: ready time, idle RSS), warmed up with small flows and 64-part flows, then measured over
 * {@code --flows} plain 64-part flows (5 MiB parts, the smallest S3 allows, so storage's work stays small; the
 * service's work does not depend on the part size): the CPU time of every thread of the app from
 * {@code /proc/<pid>/task/<tid>/schedstat} (nanoseconds, not the 10-ms ticks of {@code stat}) over the init call
 * and over the complete call, grouped by thread name. The part PUTs go to storage, outside the windows.
 * <p>
 * {@code --jfr FLOWS}: after the measured flows, that many more with a JFR recording of {@code jdk.ExecutionSample}
 * every millisecond ({@code cpu-profile.jfr} per form in the output directory; {@code bench/JfrTop.java} reads it).
 * Kept apart from the measured flows: the recorder's own threads and compilations would count in them.
 * <p>
 * Arguments: {@code [--flows N] [--warmup-small N] [--warmup-flows N] [--rounds N] [--jfr N] [--out DIR]
 * [--jdk25 JAVA_HOME] [--forms a,b,…]}; forms by key: {@code c1} (shipped: AOT cache, {@code @jvm.args}),
 * {@code tiered} (the same with C2: {@code -XX:TieredStopAtLevel=4} after {@code @jvm.args}), {@code c1-1}
 * (C1 only and one compiler thread), {@code tiered-nocache} (no AOT cache, C1+C2); {@code KEY@DIR} runs form
 * KEY from another build's {@code quarkus-app} directory (a change against the baseline in the same run).
 */
public final class CpuBench {

    /** Thread groups, in report order. */
    static final String WORKERS = "request workers";
    static final String EVENT_LOOPS = "event loops";
    static final String ASSEMBLY = "assembly";
    static final String JIT = "JIT compilers";
    static final String GC = "GC and VM";
    static final String OTHER = "other";
    static final List<String> GROUPS = List.of(WORKERS, EVENT_LOOPS, ASSEMBLY, JIT, GC, OTHER);

    static final long PART_SIZE = 5L << 20;
    static final int PARTS = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured form: start-up, CPU per flow by group for init and complete, RSS after the flows. */
    record FormResult(String key, String name, StartupBench.Start start, int flows, Map<String, Double> initMs,
            Map<String, Double> completeMs, double wholeFlowMs, long rssAfter) {

        double initTotal() {
            return initMs.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double completeTotal() {
            return completeMs.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double total() {
            return initTotal() + completeTotal();
        }
    }

    private final URI base;
    private final long pid;
    private final S3Client s3;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final byte[] part = new byte[(int) PART_SIZE];
    private final ExecutorService putters = Executors.newFixedThreadPool(4);

    private CpuBench(URI base, long pid, S3Client s3) {
        this.base = base;
        this.pid = pid;
        this.s3 = s3;
        for (int i = 0; i < part.length; i += 4096) {
            part[i] = (byte) (i >>> 12);
        }
    }

    public static void main(String[] args) throws Exception {
        int flows = 20;
        int warmupSmall = 300;
        int warmupFlows = 10;
        int rounds = 1;
        int jfrFlows = 0;
        Path out = Path.of("target/bench");
        String jdk25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
        List<String> formKeys = List.of("c1", "tiered");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--flows" -> flows = Integer.parseInt(args[++i]);
                case "--warmup-small" -> warmupSmall = Integer.parseInt(args[++i]);
                case "--warmup-flows" -> warmupFlows = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--jfr" -> jfrFlows = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--jdk25" -> jdk25 = args[++i];
                case "--forms" -> formKeys = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(out);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        Path work = Files.createTempDirectory("freight-cpu");
        List<Process> children = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroy)));
        StorageMain.Server s3Server = StorageMain.launch(work, children, "s3", work.resolve("s3-data").toString(),
                BenchSuite.ACCESS_KEY, BenchSuite.SECRET_KEY);
        StorageMain.Server dynamoServer = StorageMain.launch(work, children, "dynamodb");
        Map<String, String> env = BenchSuite.appEnvironment(s3Server.endpoint(), dynamoServer.endpoint());
        // Logging as shipped (INFO: a line per request and per upload), not the suite's quiet WARN: it is part of
        // what a request costs in production.
        env.remove("QUARKUS_LOG_LEVEL");
        StartupBench startup = new StartupBench(env, work, Duration.ofSeconds(3), false, children);
        Map<String, StartupBench.Launch> forms = forms(jdk25);
        // Creates the bucket and the table, so every measured start finds them (as in production).
        startup.start(forms.get("c1"), "provision").stop(children);

        List<FormResult> results = new ArrayList<>();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(BenchSuite.ACCESS_KEY, BenchSuite.SECRET_KEY)))
                .endpointOverride(s3Server.endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            for (int round = 0; round < rounds; round++) {
                for (String key : formKeys) {
                    // "c1@DIR": the same form from another build's quarkus-app (a change against the baseline in
                    // one run).
                    String[] keyAndDirectory = key.split("@", 2);
                    StartupBench.Launch launch = forms.get(keyAndDirectory[0]);
                    if (launch == null) {
                        throw new IllegalArgumentException("unknown form " + key + "; known: " + forms.keySet());
                    }
                    if (keyAndDirectory.length == 2) {
                        Path directory = Path.of(keyAndDirectory[1]).toAbsolutePath();
                        launch = new StartupBench.Launch(launch.name() + ", " + directory, launch.java(), directory,
                                launch.arguments());
                    }
                    String fileName = key.replaceAll("\\W+", "_");
                    StartupBench.Running app = startup.start(launch, "cpu-" + fileName + "-" + round);
                    BenchSuite.log(String.format(Locale.ROOT, "%s: ready %.2f s, first answer %.2f s, %.2f CPU s, "
                            + "idle RSS %d MiB", launch.name(), app.start().readySeconds(),
                            app.start().firstAnswerSeconds(), app.start().cpuSeconds(), app.start().idleRss() >> 20));
                    CpuBench bench = new CpuBench(app.base(), app.process().pid(), s3);
                    try {
                        FormResult result = bench.measure(key, launch.name(), app.start(), warmupSmall, warmupFlows,
                                flows);
                        results.add(result);
                        BenchSuite.log(line(result, results.get(0)));
                        if (jfrFlows > 0) {
                            bench.profile(jdk25, out.resolve("cpu-profile-" + fileName + ".jfr"), jfrFlows);
                        }
                    } finally {
                        bench.putters.shutdownNow();
                        app.stop(children);
                    }
                }
            }
        } finally {
            children.forEach(Process::destroy);
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        String report = report(results, flows, warmupSmall, warmupFlows, loadBefore, loadAfter);
        Files.writeString(out.resolve("CPU.md"), report);
        System.out.println(report);
        System.exit(0);
    }

    /** The JIT forms, from the aot build's directory (target/quarkus-app) and its jvm.args. */
    static Map<String, StartupBench.Launch> forms(String jdk25) throws IOException {
        Path aot = Path.of("target/quarkus-app").toAbsolutePath();
        if (!Files.exists(aot.resolve("app.aot"))) {
            throw new IllegalStateException(aot + "/app.aot is missing: build with -Paot (bench/cpu.sh does)");
        }
        String java = Path.of(jdk25, "bin", "java").toString();
        List<String> withoutCache = Files.readAllLines(aot.resolve("jvm.args")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("-XX:AOTCache="))
                .toList();
        Map<String, StartupBench.Launch> forms = new LinkedHashMap<>();
        forms.put("c1", new StartupBench.Launch("AOT cache, @jvm.args (C1 only)", java, aot,
                List.of("@jvm.args", "-jar", "quarkus-run.jar")));
        forms.put("tiered", new StartupBench.Launch("AOT cache, @jvm.args + C2 (TieredStopAtLevel=4)", java, aot,
                List.of("@jvm.args", "-XX:TieredStopAtLevel=4", "-jar", "quarkus-run.jar")));
        forms.put("c1-1", new StartupBench.Launch("AOT cache, @jvm.args, one C1 thread", java, aot,
                List.of("@jvm.args", "-XX:CICompilerCount=1", "-jar", "quarkus-run.jar")));
        List<String> tieredNoCache = new ArrayList<>(withoutCache);
        tieredNoCache.addAll(List.of("-XX:TieredStopAtLevel=4", "-jar", "quarkus-run.jar"));
        forms.put("tiered-nocache", new StartupBench.Launch("no cache, jvm.args + C2", java, aot, tieredNoCache));
        return forms;
    }

    private FormResult measure(String key, String name, StartupBench.Start start, int warmupSmall, int warmupFlows,
            int flows) throws Exception {
        for (int i = 0; i < warmupSmall; i++) {
            smallFlow();
        }
        for (int i = 0; i < warmupFlows; i++) {
            flow(null, null);
        }
        Map<String, Double> init = zeros();
        Map<String, Double> complete = zeros();
        double processBefore = ProcStats.of(pid).cpuSeconds();
        for (int i = 0; i < flows; i++) {
            flow(init, complete);
        }
        double wholeMs = (ProcStats.of(pid).cpuSeconds() - processBefore) * 1000 / flows;
        init.replaceAll((group, ns) -> ns / 1e6 / flows);
        complete.replaceAll((group, ns) -> ns / 1e6 / flows);
        return new FormResult(key, name, start, flows, init, complete, wholeMs, ProcStats.rss(pid));
    }

    /** JFR over {@code flows} more flows: started after the measured ones, dumped to {@code file}. */
    private void profile(String jdk25, Path file, int flows) throws Exception {
        String jcmd = Path.of(jdk25, "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid), "JFR.start", "name=cpu", "settings=profile",
                "jdk.ExecutionSample#period=1ms", "jdk.NativeMethodSample#enabled=false");
        for (int i = 0; i < flows; i++) {
            flow(null, null);
        }
        run(jcmd, Long.toString(pid), "JFR.dump", "name=cpu", "filename=" + file.toAbsolutePath());
        run(jcmd, Long.toString(pid), "JFR.stop", "name=cpu");
        BenchSuite.log("profile of " + flows + " flows: " + file);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }

    /** A 1-byte upload: init, its one PUT, complete; warms every call of the flow. */
    private void smallFlow() throws Exception {
        JsonNode init = post("/api/upload/init", Map.of("filename", "small.bin", "file_type",
                "application/octet-stream", "file_size", 1, "author_name", "bench"));
        String fileId = init.get("file_id").asText();
        String etag = put(init.get("parts").get(0), new byte[] {42});
        post("/api/upload/complete", Map.of("file_id", fileId, "parts",
                List.of(Map.of("part_number", 1, "etag", etag))));
        s3.deleteObject(delete -> delete.bucket(BenchSuite.BUCKET).key(fileId));
    }

    /**
     * A plain 64-part upload as a client runs it: init (every URL comes with it), the PUTs (4 at a time), complete.
     * With maps given, the CPU nanoseconds of the app's threads over the init and the complete call are added to
     * them by group.
     */
    private void flow(Map<String, Double> initCpu, Map<String, Double> completeCpu) throws Exception {
        Map<Long, Reading> before = initCpu == null ? null : read(pid);
        JsonNode init = post("/api/upload/init", Map.of("filename", "cpu.bin", "file_type",
                "application/octet-stream", "file_size", PARTS * PART_SIZE, "part_size", PART_SIZE,
                "author_name", "bench"));
        if (initCpu != null) {
            addDelta(initCpu, before, read(pid));
        }
        String fileId = init.get("file_id").asText();
        JsonNode parts = init.get("parts");
        if (parts.size() != PARTS) {
            throw new IllegalStateException("init answered " + parts.size() + " URLs, not " + PARTS);
        }
        List<Future<String>> etags = new ArrayList<>();
        for (JsonNode signed : parts) {
            etags.add(putters.submit(() -> put(signed, part)));
        }
        List<Map<String, Object>> claimed = new ArrayList<>();
        for (int n = 1; n <= PARTS; n++) {
            claimed.add(Map.of("part_number", n, "etag", etags.get(n - 1).get()));
        }
        before = completeCpu == null ? null : read(pid);
        JsonNode done = post("/api/upload/complete", Map.of("file_id", fileId, "parts", claimed));
        if (completeCpu != null) {
            addDelta(completeCpu, before, read(pid));
        }
        if (!"uploaded".equals(done.get("upload_status").asText())) {
            throw new IllegalStateException("complete answered " + done);
        }
        s3.deleteObject(delete -> delete.bucket(BenchSuite.BUCKET).key(fileId));
    }

    private String put(JsonNode signed, byte[] body) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(signed.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.get("headers").fields().forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
        HttpResponse<String> answer = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("part PUT answered " + answer.statusCode() + " " + answer.body());
        }
        return answer.headers().firstValue("ETag").orElseThrow();
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** One thread's name (the kernel's 15-character comm) and its CPU nanoseconds so far. */
    record Reading(String name, long nanos) {
    }

    /** Every live thread of {@code pid}: first field of {@code schedstat}, time spent on a CPU in nanoseconds. */
    static Map<Long, Reading> read(long pid) {
        Map<Long, Reading> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    String name = Files.readString(task.resolve("comm")).strip();
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Reading(name, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')))));
                } catch (IOException exited) {
                    // Ended between listing and reading.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/task", e);
        }
        return threads;
    }

    /** Adds each thread's nanoseconds since {@code before} to its group (threads that ended meanwhile are lost). */
    static void addDelta(Map<String, Double> groups, Map<Long, Reading> before, Map<Long, Reading> after) {
        for (Map.Entry<Long, Reading> thread : after.entrySet()) {
            Reading earlier = before.get(thread.getKey());
            long delta = thread.getValue().nanos() - (earlier == null ? 0 : earlier.nanos());
            groups.merge(group(thread.getValue().name()), (double) delta, Double::sum);
        }
    }

    static String group(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("executor-thread")) {
            return WORKERS;
        }
        if (name.startsWith("vert.x-eventloo") || name.startsWith("vert.x-acceptor")) {
            return EVENT_LOOPS;
        }
        if (name.startsWith("freight-assembl")) {
            return ASSEMBLY;
        }
        if (name.startsWith("GC Thread") || name.startsWith("VM Thread") || name.startsWith("VM Periodic")) {
            return GC;
        }
        return OTHER;
    }

    private static Map<String, Double> zeros() {
        Map<String, Double> groups = new LinkedHashMap<>();
        GROUPS.forEach(group -> groups.put(group, 0.0));
        return groups;
    }

    private static String line(FormResult r, FormResult baseline) {
        StringBuilder groups = new StringBuilder();
        for (String group : GROUPS) {
            groups.append(String.format(Locale.ROOT, ", %s %.2f", group, r.initMs().get(group)
                    + r.completeMs().get(group)));
        }
        return String.format(Locale.ROOT, "%s: init %.2f ms + complete %.2f ms = %.2f ms of service CPU per flow "
                + "(%.2fx the first form; %s), whole flow %.1f ms, RSS after %d MiB", r.name(), r.initTotal(),
                r.completeTotal(), r.total(), r.total() / baseline.total(), groups.substring(2), r.wholeFlowMs(),
                r.rssAfter() >> 20);
    }

    static String report(List<FormResult> results, int flows, int warmupSmall, int warmupFlows, String loadBefore,
            String loadAfter) {
        FormResult baseline = results.get(0);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Service CPU per plain 64-part upload (5 MiB parts), init and complete "
                + "calls only, mean of %d flows after %d one-part and %d 64-part warm-up flows; per-thread CPU from "
                + "/proc/<pid>/task/*/schedstat. Load average before: %s; after: %s.%n%n", flows, warmupSmall,
                warmupFlows, Report.firstThree(loadBefore), Report.firstThree(loadAfter)));
        md.append("| form | init ms | complete ms | init + complete ms | x first | ");
        GROUPS.forEach(group -> md.append(group).append(" | "));
        md.append("whole flow ms (all threads) | ready s | first answer s | start CPU s | idle RSS MiB | RSS after "
                + "MiB |\n|---|---:|---:|---:|---:|");
        GROUPS.forEach(group -> md.append("---:|"));
        md.append("---:|---:|---:|---:|---:|---:|\n");
        for (FormResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | ", r.name(), r.initTotal(),
                    r.completeTotal(), r.total(), r.total() / baseline.total()));
            GROUPS.forEach(group -> md.append(String.format(Locale.ROOT, "%.2f | ", r.initMs().get(group)
                    + r.completeMs().get(group))));
            md.append(String.format(Locale.ROOT, "%.1f | %.2f | %.2f | %.2f | %d | %d |%n", r.wholeFlowMs(),
                    r.start().readySeconds(), r.start().firstAnswerSeconds(), r.start().cpuSeconds(),
                    r.start().idleRss() >> 20, r.rssAfter() >> 20));
        }
        return md.toString();
    }
}
