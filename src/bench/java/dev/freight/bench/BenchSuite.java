package dev.freight.bench;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.freight.support.PackagedAppEnvironment;

/**
 * The benchmark suite in one process: starts S3Proxy and DynamoDB engine in JVMs of their own, the packaged app as a
 * third process, then measures start-up and memory, upload throughput (Freight against {@code aws s3 cp} and one
 * presigned PUT), what the service spends per GiB, API latency against direct SDK calls, and signing (JMH). Writes
 * {@code BENCHMARKS.md} and {@code throughput.png} to the output directory.
 * Arguments: {@code --smoke} (small file, one run per point), {@code --out DIR}, {@code --aws PATH},
 * {@code --jdk25 JAVA_HOME} (the JDK the AOT cache was trained with), {@code --startup-only} (section 5 alone, written
 * to {@code STARTUP.md} for bench/run.sh to put into the published page), {@code --page} (only the browser app's
 * section, written to {@code PAGE.md}), {@code --uploads-only} (section 2's 1 GiB flows, logged only).
 */
public final class BenchSuite {

    static final String ACCESS_KEY = "freightbench";
    static final String SECRET_KEY = "freightbenchsecret";
    static final String BUCKET = "freight-uploads";
    static final String TABLE = "freight-uploads";

    private final boolean smoke;
    private final boolean pageOnly;
    private final Path out;
    private final String aws;
    private final Path work;
    private final String jdk25;
    private final boolean startupOnly;
    private final boolean uploadsOnly;
    private final List<Process> children = new ArrayList<>();
    private final Results results = new Results();

    private BenchSuite(boolean smoke, Path out, String aws, Path work, String jdk25, boolean startupOnly,
            boolean pageOnly, boolean uploadsOnly) {
        this.smoke = smoke;
        this.uploadsOnly = uploadsOnly;
        this.pageOnly = pageOnly;
        this.out = out;
        this.aws = aws;
        this.work = work;
        this.jdk25 = jdk25;
        this.startupOnly = startupOnly;
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        boolean pageOnly = false;
        Path out = Path.of("target/bench");
        String aws = "aws";
        String jdk25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
        boolean startupOnly = false;
        boolean uploadsOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--page" -> pageOnly = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--aws" -> aws = args[++i];
                case "--jdk25" -> jdk25 = args[++i];
                case "--startup-only" -> startupOnly = true;
                case "--uploads-only" -> uploadsOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("freight-bench");
        BenchSuite suite = new BenchSuite(smoke, out, aws, work, jdk25, startupOnly, pageOnly,
                uploadsOnly);
        // An interrupted run must not leave the app or the emulators behind.
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stopChildren));
        try {
            suite.run();
        } finally {
            suite.stopChildren();
            deleteTree(work);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        results.smoke = smoke;
        results.loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        long fileSize = smoke ? 64L << 20 : 1L << 30;
        Path file = work.resolve("upload.bin");
        writeFile(file, fileSize);
        results.fileSize = fileSize;
        Process version = new ProcessBuilder(aws, "--version").redirectErrorStream(true).start();
        results.awsVersion = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        version.waitFor();

        log("starting S3Proxy (filesystem store) and the DynamoDB engine");
        StorageMain.Server s3Server = startStorage("s3", work.resolve("s3-data").toString(), ACCESS_KEY, SECRET_KEY);
        StorageMain.Server dynamoServer = startStorage("dynamodb");
        URI s3Endpoint = s3Server.endpoint();
        URI dynamoEndpoint = dynamoServer.endpoint();

        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(s3Endpoint).serviceConfiguration(pathStyle)
                .httpClient(UrlConnectionHttpClient.create()).build();
                S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                        .endpointOverride(s3Endpoint).serviceConfiguration(pathStyle).build();
                DynamoDbClient dynamoDb = DynamoDbClient.builder().region(Region.US_EAST_1)
                        .credentialsProvider(credentials).endpointOverride(dynamoEndpoint)
                        .httpClient(UrlConnectionHttpClient.create()).build()) {

            // (5) Start-up and memory, before anything else loads the machine. A first start of the plain jar
            // creates the bucket and the table and is not counted: every measured start finds them, as in production.
            StartupBench startup = new StartupBench(appEnvironment(s3Endpoint, dynamoEndpoint), work,
                    Duration.ofSeconds(smoke ? 1 : 3), !smoke, children);
            List<StartupBench.Launch> forms = launchForms();
            startup.start(forms.get(0), "provision").stop(children);
            if (uploadsOnly) {
                uploadsOnly(startup, forms, file, s3Endpoint, s3Server.pid(), s3, presigner, dynamoDb);
                return;
            }
            if (!pageOnly) {
                results.startupLoadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
                results.startup.putAll(startup.measure(forms, smoke ? 1 : 5));
                for (String java : List.of(javaBin(), Path.of(jdk25, "bin", "java").toString())) {
                    results.floor.put(javaVersion(java), StartupBench.floor(java, smoke ? 1 : 5));
                }
                results.startupLoadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
                if (startupOnly) {
                    results.writeStartup(out);
                    log("start-up only: " + out.resolve("STARTUP.md"));
                    return;
                }
            }

            // The app the other sections measure: the form docs/deployment.md and Dockerfile.jvm run (the AOT cache and
            // jvm.args on JDK 25), what users deploy. Until 2026-12-02 it was the plain jar with JDK 17's defaults,
            // whose C2 compiler kept recompiling (deoptimised code) through every measured 1 GiB flow: 10-90 ms/GiB
            // of JIT per flow (up to 3 % of the storage's CPU by itself) against none with jvm.args' C1.
            StartupBench.Launch appForm = forms.get(forms.size() - 1);
            results.appForm = appForm.name();
            StartupBench.Running app = startup.start(appForm, "app");
            log(String.format("app for the other sections: ready after %.2f s", app.start().readySeconds()));

            UploadBench uploads = new UploadBench(app.base(), s3Endpoint, ACCESS_KEY, SECRET_KEY, BUCKET,
                    app.process().pid(), s3Server.pid(), s3, presigner, work);
            if (pageOnly) {
                // -Dfreight.bench.page-runs=N: fewer runs while trying a change to the page.
                pageSection(uploads, s3, app.base(), file, smoke ? 1 : Integer.getInteger("freight.bench.page-runs", 3));
                app.stop(children);
                results.loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
                results.wallSeconds = (System.nanoTime() - began) / 1e9;
                results.writePage(out);
                log("done: " + out.resolve("PAGE.md"));
                return;
            }

            RssSampler sampler = new RssSampler(app.process().pid());
            sampler.start();

            // (1), (2) Uploads.
            // Headline: the issue's 1 GiB file at 16 MiB x 4, every method, 3 runs. Sweep: part size and concurrency
            // on a 256 MiB file, which keeps a full run within minutes on a shared 2-core machine.
            List<long[]> points = smoke
                    ? List.of(new long[] {8 << 20, 4}, new long[] {16 << 20, 1}, new long[] {16 << 20, 4})
                    : List.of(new long[] {8 << 20, 4}, new long[] {16 << 20, 4}, new long[] {64 << 20, 4},
                            new long[] {16 << 20, 1}, new long[] {16 << 20, 2}, new long[] {16 << 20, 8});
            int reps = smoke ? 1 : 3;
            Path sweepFile = sweepFile(file);
            results.sweepFileSize = Files.size(sweepFile);
            LatencyBench latency = new LatencyBench(app.base(), s3, presigner, dynamoDb, BUCKET, TABLE);
            warmUp(latency, uploads, file, sweepFile);
            // The service's CPU when nobody calls it (JIT, GC, timers), after the warm-up: subtracted to show what
            // the uploads themselves cost.
            Thread.sleep(1000);
            ProcStats idleFrom = ProcStats.of(app.process().pid());
            Thread.sleep(smoke ? 2000 : 5000);
            results.serviceIdleCpuPerSecond = ProcStats.of(app.process().pid()).minus(idleFrom).cpuSeconds()
                    / (smoke ? 2 : 5);
            sampler.reset();
            for (int rep = 0; rep < reps; rep++) {
                UploadBench.Run freight = uploads.freight(file, 16 << 20, 4);
                results.add("freight", freight);
                UploadBench.Run cli = uploads.awsCp(aws, file, 16 << 20, 4);
                results.add("aws", cli);
                UploadBench.Run library = uploads.library(file, 16 << 20, 4);
                results.add("library", library);
                UploadBench.Run single = uploads.singlePut(file);
                results.add("single", single);
                UploadBench.Run cliDefaults = uploads.awsCp(aws, file, 0, 0);
                results.add("aws defaults", cliDefaults);
                log(String.format("rep %d %s: Freight 16 MiB x 4 %.0f MiB/s, aws s3 cp same %.0f MiB/s, client library "
                        + "%.0f MiB/s, single PUT %.0f MiB/s, aws s3 cp defaults %.0f MiB/s", rep,
                        Report.size(fileSize), freight.mibPerSecond(), cli.mibPerSecond(), library.mibPerSecond(),
                        single.mibPerSecond(), cliDefaults.mibPerSecond()));
            }
            for (int rep = 0; rep < reps; rep++) {
                for (long[] point : points) {
                    String name = Results.pointName(point[0], (int) point[1]);
                    UploadBench.Run freight = uploads.freight(sweepFile, point[0], (int) point[1]);
                    results.add("freight " + name, freight);
                    UploadBench.Run cli = uploads.awsCp(aws, sweepFile, point[0], (int) point[1]);
                    results.add("aws " + name, cli);
                    log(String.format("sweep rep %d %s: Freight %.0f MiB/s, aws s3 cp %.0f MiB/s", rep, name,
                            freight.mibPerSecond(), cli.mibPerSecond()));
                }
            }
            results.points = points;
            results.uploadPeakRss = sampler.peak();

            // The lean signer the signing section measures must produce the SDK's URLs exactly and be accepted.
            results.signerCheck = dev.freight.upload.storage.SignerCheck.run(presigner, s3, s3Endpoint, ACCESS_KEY,
                    SECRET_KEY, BUCKET, smoke ? 200 : 2000);
            log("lean signer check: " + results.signerCheck);

            // (4) Latency under steady load, alternating service and direct rounds so drift hits both alike.
            int threads = 4;
            results.latencyThreads = threads;
            Duration warmup = Duration.ofSeconds(smoke ? 1 : 2);
            Duration measure = Duration.ofSeconds(smoke ? 3 : 7);
            sampler.reset();
            for (int rep = 0; rep < reps; rep++) {
                results.addLatency("service", latency.run(true, threads, warmup, measure));
                results.addLatency("direct", latency.run(false, threads, warmup, measure));
                log("latency round " + rep + " done");
            }
            results.loadPeakRss = sampler.peak();
            sampler.stop();

            // (6) The per-part signing path under wrk: refresh_urls with and without upload_token against
            // /q/health/live, alternating in one session.
            log("wrk: refresh_urls with and without upload_token, /q/health/live");
            results.wrkLoadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
            results.wrk.putAll(new WrkBench(app.base(), app.management(), app.process().pid(), work, null).run(smoke ? 1 : 3,
                    smoke ? 3 : 10));
            // The same as production runs it, authentication on: every API call carries a bearer JWT (verified
            // once, then cached until it expires), on an instance of its own warmed by one discarded round.
            String bearer = "Bearer " + dev.freight.security.Tokens.valid("wrk-bench", "Bench");
            StartupBench.Running authApp = new StartupBench(authEnvironment(s3Endpoint, dynamoEndpoint), work,
                    Duration.ofSeconds(1), false, children).authorizedAs(bearer).start(appForm, "app-auth");
            WrkBench authWrk = new WrkBench(authApp.base(), authApp.management(), authApp.process().pid(), work, bearer);
            authWrk.run(1, smoke ? 3 : 10);
            authWrk.run(smoke ? 1 : 3, smoke ? 3 : 10)
                    .forEach((target, runs) -> results.wrk.put(Report.AUTH + target, runs));
            authApp.stop(children);
            results.wrkLoadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
            log("wrk: " + results.wrk);

            // (7) The browser app, last: its Chromium must not share the machine with the other sections.
            pageSection(uploads, s3, app.base(), file, reps);
            app.stop(children);
        }

        // (3) Signing, with nothing else running.
        log("JMH: signing");
        runJmh();

        results.loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        results.wallSeconds = (System.nanoTime() - began) / 1e9;
        results.write(out);
        log(String.format("done in %.0f s: %s", results.wallSeconds, out.resolve("BENCHMARKS.md")));
    }

    /**
     * (7) The browser app's upload in headless Chromium against {@code aws s3 cp} (its defaults) and the plain
     * script flow, same file and storage, and the browser floors (the least a browser does, see
     * {@link PageBench#floor}), alternating run by run so drift hits all of them alike.
     */
    private void pageSection(UploadBench uploads, S3Client s3, URI app, Path file, int reps) throws Exception {
        results.pageLoadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        try (PageBench page = new PageBench(app, s3, BUCKET, uploads.servicePid(), uploads.storagePid())) {
            long size = Files.size(file);
            // Warm-up (64 MiB): the first Chromium run pays for the browser's own start and the app's JIT; the
            // floors warm the service's plain and checksum-bound paths.
            Path warmUp = work.resolve("page-warm-up.bin");
            writeFile(warmUp, 64L << 20);
            page.upload(warmUp, 64L << 20);
            for (Floor floor : Floor.values()) {
                page.floor(warmUp, 64L << 20, floor.sha256, floor.inFlight);
            }
            Files.delete(warmUp);
            log("page warm-up done");
            for (int rep = 0; rep < reps; rep++) {
                PageBench.Run pageRun = page.upload(file, size);
                results.pageRuns.add(pageRun);
                log(String.format("page rep %d: page %.2f s (load %s)", rep, pageRun.seconds(), loadAverage()));
                for (Floor floor : Floor.values()) {
                    PageBench.Run floorRun = page.floor(file, size, floor.sha256, floor.inFlight);
                    results.floorRuns.computeIfAbsent(floor.label, ignored -> new ArrayList<>()).add(floorRun);
                    log(String.format("page rep %d: %s %.2f s, Chromium %.1f CPU-s %s (load %s)", rep, floor.label,
                            floorRun.seconds(), floorRun.browserCpuSeconds(), floorRun.browserCpuByType(), loadAverage()));
                }
                UploadBench.Run cli = uploads.awsCp(aws, file, 0, 0);
                results.add("page: aws", cli);
                log(String.format("page rep %d: aws s3 cp %.2f s (load %s)", rep, cli.seconds(), loadAverage()));
                UploadBench.Run script = uploads.scriptFlow(file, 16 << 20, 6);
                results.add("page: script", script);
                results.pageRepLoads.add(loadAverage());
                log(String.format("page rep %d %s: page %.2f s, aws s3 cp %.2f s, script flow %.2f s (load %s)", rep,
                        Report.size(size), pageRun.seconds(), cli.seconds(), script.seconds(), loadAverage()));
            }
        }
        results.pageLoadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /**
     * The browser floors section 7 measures: plain parts with Chromium's 6 connections per host, the same with 12
     * fetches in flight (does the per-host limit bind?), and checksum-bound parts hashed with WebCrypto (what
     * hashing costs at least).
     */
    enum Floor {
        PLAIN("browser floor: plain parts, no hashing", false, 6),
        PLAIN_12("browser floor: plain parts, 12 in flight", false, 12),
        SHA256("browser floor with SHA-256", true, 6);

        final String label;
        final boolean sha256;
        final int inFlight;

        Floor(String label, boolean sha256, int inFlight) {
            this.label = label;
            this.sha256 = sha256;
            this.inFlight = inFlight;
        }
    }

    private static String loadAverage() throws java.io.IOException {
        return Report.firstThree(Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private void runJmh() throws Exception {
        Options options = new OptionsBuilder()
                .include("dev.freight.upload.storage.SigningBenchmark")
                .threads(1)
                .forks(smoke ? 1 : 2)
                .warmupIterations(smoke ? 1 : 3)
                .warmupTime(TimeValue.seconds(smoke ? 1 : 2))
                .measurementIterations(smoke ? 1 : 3)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xmx512m")
                .shouldFailOnError(true)
                .build();
        for (RunResult run : new Runner(options).run()) {
            String method = run.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            results.signing.put(method, Spread.of(scores));
        }
    }

    private StorageMain.Server startStorage(String... args) throws Exception {
        return StorageMain.launch(work, children, args);
    }

    /** What the packaged app is given besides its port: configuration by environment only (deployment.md), quiet logs. */
    static Map<String, String> appEnvironment(URI s3Endpoint, URI dynamoEndpoint) {
        Map<String, String> env = new LinkedHashMap<>(
                PackagedAppEnvironment.forStorage(s3Endpoint, dynamoEndpoint, ACCESS_KEY, SECRET_KEY, 0));
        env.remove("QUARKUS_HTTP_PORT");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        return env;
    }

    /** The same with authentication on: the test key pair's public key, its issuer and audience (docs/security.md). */
    static Map<String, String> authEnvironment(URI s3Endpoint, URI dynamoEndpoint) {
        Map<String, String> env = appEnvironment(s3Endpoint, dynamoEndpoint);
        env.put("FREIGHT_AUTH_ENABLED", "true");
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                Path.of("src/test/resources/test-keys/publicKey.pem").toAbsolutePath().toString());
        env.put("MP_JWT_VERIFY_ISSUER", dev.freight.security.AuthEnabledProfile.ISSUER);
        env.put("MP_JWT_VERIFY_AUDIENCES", dev.freight.security.AuthEnabledProfile.AUDIENCE);
        return env;
    }

    /** The sweep's file: a 256 MiB one of its own, or in the smoke form the (small) headline file itself. */
    private Path sweepFile(Path file) throws Exception {
        if (smoke) {
            return file;
        }
        Path sweepFile = work.resolve("sweep.bin");
        writeFile(sweepFile, 256L << 20);
        return sweepFile;
    }

    /**
     * Warm-up: the service is measured as it runs once it has served for a while, not while its JIT is still
     * compiling. One warm-up flow (before 2026-12-02) left the compiler threads with about half the service's CPU
     * over the measured uploads (section 2's breakdown by thread). Section 4's closed loop of small flows gives every
     * endpoint thousands of calls; flows of the measured shapes then warm their loops over parts (a first 64-part flow
     * after thousands of 1-part ones still cost 3-4x a later one).
     */
    private void warmUp(LatencyBench latency, UploadBench uploads, Path file, Path sweepFile) throws Exception {
        results.warmUpSeconds = smoke ? 2 : 30;
        latency.run(true, 4, Duration.ZERO, Duration.ofSeconds(results.warmUpSeconds));
        results.warmUpFlows = smoke ? 1 : 3;
        for (int flow = 0; flow < results.warmUpFlows; flow++) {
            uploads.freight(file, 16 << 20, 4);
            uploads.library(sweepFile, 16 << 20, 4);
        }
    }

    /**
     * {@code --uploads-only}: section 2's 1 GiB Freight flows alone, logged run by run, to try a change to what the
     * service spends per GiB. {@code -Dfreight.bench.app-form=N} picks the launch form (index in section 5's order,
     * default the last), {@code -Dfreight.bench.upload-runs=N} the number of measured flows (default 5), the
     * environment variable {@code BENCH_APP_OPTIONS} extra JVM options for the app.
     */
    private void uploadsOnly(StartupBench startup, List<StartupBench.Launch> forms, Path file, URI s3Endpoint,
            long storagePid, S3Client s3, S3Presigner presigner, DynamoDbClient dynamoDb) throws Exception {
        StartupBench.Launch chosen = forms.get(Integer.getInteger("freight.bench.app-form", forms.size() - 1));
        // BENCH_APP_OPTIONS="-XX:+PrintCompilation ...": JVM options after the form's own, so they win (an environment
        // variable, so several pass through bench/run.sh; the app's output is kept as uploads-app.log in the output
        // directory).
        List<String> arguments = new ArrayList<>(chosen.arguments());
        String options = System.getenv().getOrDefault("BENCH_APP_OPTIONS", "").strip();
        if (!options.isEmpty()) {
            arguments.addAll(arguments.indexOf("-jar"), List.of(options.split("\\s+")));
        }
        StartupBench.Launch form = new StartupBench.Launch(chosen.name(), chosen.java(), chosen.directory(), arguments);
        StartupBench.Running app = startup.start(form, "app");
        // The JVM's own clock (-XX:+PrintCompilation, -Xlog uptime) counts from the process's start.
        Instant appStarted = app.process().info().startInstant().orElseThrow();
        log("uploads only, app form: " + form.name() + " " + arguments);
        UploadBench uploads = new UploadBench(app.base(), s3Endpoint, ACCESS_KEY, SECRET_KEY, BUCKET,
                app.process().pid(), storagePid, s3, presigner, work);
        warmUp(new LatencyBench(app.base(), s3, presigner, dynamoDb, BUCKET, TABLE), uploads, file, sweepFile(file));
        double gib = Files.size(file) / (double) (1L << 30);
        for (int run = 0; run < Integer.getInteger("freight.bench.upload-runs", 5); run++) {
            log(String.format(Locale.ROOT, "flow %d begins %.1f s after the app's process started", run,
                    Duration.between(appStarted, Instant.now()).toMillis() / 1e3));
            UploadBench.Run flow = uploads.freight(file, 16 << 20, 4);
            StringBuilder byThread = new StringBuilder();
            flow.serviceWork().forEach((group, seconds) -> byThread.append(String.format(Locale.ROOT, ", %s %.0f",
                    group, seconds * 1000 / gib)));
            log(String.format(Locale.ROOT, "flow %d: %.1f s, service %.0f ms/GiB (%s), storage %.2f s/GiB, "
                    + "service / storage %.2f %%", run, flow.seconds(), flow.service().cpuSeconds() * 1000 / gib,
                    byThread.substring(2), flow.storage().cpuSeconds() / gib,
                    100 * flow.service().cpuSeconds() / flow.storage().cpuSeconds()));
        }
        app.stop(children);
        Files.copy(work.resolve("app.log"), out.resolve("uploads-app.log"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The start-up forms side by side: the plain jar as {@code ./mvnw package} builds it on JDK 17 and on JDK 25 with
     * default JVM options, the plain jar with {@code jvm.args} minus the cache (what the options alone do), and the
     * shipped form (deployment.md, {@code Dockerfile.jvm}): the aot-jar with its trained cache and {@code jvm.args}
     * (last: the other sections measure it).
     */
    private List<StartupBench.Launch> launchForms() throws Exception {
        Path plain = Path.of("target/bench-plain-app").toAbsolutePath();
        Path aot = Path.of("target/quarkus-app").toAbsolutePath();
        for (Path file : List.of(plain.resolve("quarkus-run.jar"), aot.resolve("app.aot"), aot.resolve("jvm.args"))) {
            if (!Files.exists(file)) {
                throw new IllegalStateException(file + " is missing: run bench/run.sh, which builds both forms");
            }
        }
        String java25 = Path.of(jdk25, "bin", "java").toString();
        List<String> optionsWithoutCache = Files.readAllLines(aot.resolve("jvm.args")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("-XX:AOTCache=")).toList();
        List<String> plainWithOptions = new ArrayList<>(optionsWithoutCache);
        plainWithOptions.addAll(List.of("-jar", "quarkus-run.jar"));
        return List.of(
                new StartupBench.Launch("plain jar, JDK 17, default options", javaBin(), plain,
                        List.of("-jar", "quarkus-run.jar")),
                new StartupBench.Launch("plain jar, JDK 25, default options", java25, plain,
                        List.of("-jar", "quarkus-run.jar")),
                new StartupBench.Launch("plain jar, JDK 25, jvm.args without cache", java25, plain, plainWithOptions),
                new StartupBench.Launch("AOT cache, JDK 25, @jvm.args (shipped, image)", java25, aot,
                        List.of("@jvm.args", "-jar", "quarkus-run.jar")));
    }

    private static String javaVersion(String javaBin) throws Exception {
        Process version = new ProcessBuilder(javaBin, "-version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        java.util.regex.Matcher build = java.util.regex.Pattern.compile("\\(build ([^,)]+)").matcher(text);
        return "JDK " + (build.find() ? build.group(1) : javaBin);
    }

    /** Peak resident memory of one process, sampled every 100 ms. */
    private static final class RssSampler {
        private final long pid;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(ProcStats.rss(pid), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void reset() {
            peak.set(ProcStats.rss(pid));
        }

        long peak() {
            return peak.get();
        }

        void stop() {
            running = false;
        }
    }

    private void stopChildren() {
        for (Process child : List.copyOf(children)) {
            try {
                OutputStream in = child.getOutputStream();
                in.close();
            } catch (Exception ignored) {
                // Already gone.
            }
            child.destroy();
        }
        for (Process child : List.copyOf(children)) {
            try {
                child.waitFor();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Incompressible-looking content: each MiB is random bytes with its index stamped in. */
    private static void writeFile(Path file, long size) throws Exception {
        byte[] block = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(block);
        try (OutputStream outStream = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            for (long written = 0, index = 0; written < size; written += block.length, index++) {
                for (int b = 0; b < 8; b++) {
                    block[b] = (byte) (index >>> (8 * b));
                }
                outStream.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (Exception ignored) {
            // Temp dir; the OS cleans it eventually.
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void log(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }

    /** Kept for the report: each upload run by label, and the other figures. */
    static final class Results extends Report {
        static String pointName(long partSize, int concurrency) {
            return (partSize >> 20) + " MiB x " + concurrency;
        }

        final Map<String, List<UploadBench.Run>> uploads = new LinkedHashMap<>();

        void add(String label, UploadBench.Run run) {
            uploads.computeIfAbsent(label, ignored -> new ArrayList<>()).add(run);
        }

        @Override
        Map<String, List<UploadBench.Run>> uploads() {
            return uploads;
        }
    }
}
