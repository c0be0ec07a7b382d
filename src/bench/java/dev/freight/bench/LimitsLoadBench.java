package dev.freight.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.dynamodb.engine.Engine;
import dev.freight.dynamodb.engine.EngineOptions;
import dev.freight.dynamodb.limits.Charge;
import dev.freight.dynamodb.limits.ItemHolds;
import dev.freight.dynamodb.limits.Limits;
import dev.freight.dynamodb.limits.ThrottledException;
import dev.freight.dynamodb.limits.ThroughputGate;
import dev.freight.dynamodb.limits.TransactionCanceledException;
import dev.freight.dynamodb.limits.TransactionConflictException;
import dev.freight.dynamodb.server.DynamoDbServer;
import dev.freight.embedded.EmbeddedS3;
import dev.freight.security.Tokens;

/**
 * Issue 28's load test (bench/limits.sh, docs/BENCHMARKS.md "Whole flows on AWS's limits"): the packaged app
 * against Freight's DynamoDB engine with AWS's throughput limits divided by a factor {@code f} and transaction
 * conflicts on (15 ms holds, real time), driven open-loop by whole upload flows (init, one part PUT to S3,
 * complete) at rising rates until the first 503. Three loads: one owner with authentication on, authentication off,
 * 2,000 owners. Prints, per load: the highest rate sustained before the first 503, what refused first (which key of
 * which index, or a conflict on which item), flow latency p50/p99, capacity units per flow, and the most writes any
 * single shared item (not one upload's own record, digests or events) and any single index partition took per 1,000
 * upload starts and endings.
 * Arguments: {@code <work dir> [factor] [step seconds]}; the app is {@code target/quarkus-app}.
 */
public final class LimitsLoadBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] RATES = {1, 2, 3, 4, 6, 8, 11, 15, 20, 27, 36, 48, 64};
    private static final int OWNERS = 2_000;
    private static final byte[] PART = new byte[1024];

    private final Path work;
    private final double factor;
    private final Duration step;
    private final List<Process> children = new ArrayList<>();
    private final HttpClient http;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);

    private LimitsLoadBench(Path work, double factor, Duration step) {
        this.work = work;
        this.factor = factor;
        this.step = step;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench/limits");
        Files.createDirectories(work);
        LimitsLoadBench bench = new LimitsLoadBench(work, args.length > 1 ? Double.parseDouble(args[1]) : 100,
                Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 6));
        try (EmbeddedS3 s3 = EmbeddedS3.start(null, 0, BenchSuite.ACCESS_KEY, BenchSuite.SECRET_KEY, List.of("*"))) {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "f = %.0f: per partition key %.1f write / %.1f read units/s, per "
                    + "table and index %.0f write / %.0f read units/s, transactions hold items 15 ms (real time)",
                    bench.factor, 1000 / bench.factor, 3000 / bench.factor, 40000 / bench.factor,
                    40000 / bench.factor));
            for (String load : List.of("one owner, auth on", "auth off", "2,000 owners, auth on")) {
                lines.add(bench.run(load, s3.endpoint()));
                System.out.println(lines.get(lines.size() - 1));
            }
            System.out.println();
            lines.forEach(System.out::println);
            Files.write(work.resolve("limits.txt"), lines);
        } finally {
            for (Process child : bench.children) {
                child.destroy();
                child.waitFor();
            }
            bench.pool.shutdownNow();
        }
    }

    private String run(String load, URI s3) throws Exception {
        boolean auth = !load.equals("auth off");
        int owners = load.startsWith("2,000") ? OWNERS : 1;
        RecordingGate gate = new RecordingGate();
        RecordingHolds holds = new RecordingHolds();
        Engine engine = new Engine(EngineOptions.builder().throughputGate(gate).itemHolds(holds).build());
        DynamoDbServer dynamoDb = DynamoDbServer.start(engine, "127.0.0.1", 0);
        URI dynamoEndpoint = URI.create("http://127.0.0.1:" + dynamoDb.port());
        List<String> bearers = new ArrayList<>();
        for (int owner = 0; owner < (auth ? owners : 0); owner++) {
            bearers.add("Bearer " + Tokens.valid("owner-" + owner, "Owner " + owner));
        }
        Map<String, String> env = auth ? BenchSuite.authEnvironment(s3, dynamoEndpoint)
                : BenchSuite.appEnvironment(s3, dynamoEndpoint);
        StartupBench startup = new StartupBench(env, work, Duration.ZERO, false, children);
        if (auth) {
            startup.authorizedAs(bearers.get(0));
        }
        StartupBench.Launch packaged = new StartupBench.Launch("packaged app",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Path.of("target/quarkus-app").toAbsolutePath(), List.of("-Xmx512m", "-jar", "quarkus-run.jar"));
        StartupBench.Running app = startup.start(packaged, "limits-app-" + load.replaceAll("\\W+", "_"));
        try {
            // Warm-up without limits: the JIT compiles the flow's paths before anything is measured.
            Step warm = new Step(8);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                flow(app.base(), s3, bearers, warm, warm.started.getAndIncrement()).join();
            }
            Limits limits = Limits.builder().enabled(true).scaleFactor(factor).build();
            gate.on(limits.throughputGate(System::nanoTime));
            holds.on(limits.itemHolds(System::nanoTime));
            Step clean = null;
            Step failed = null;
            Counts cleanCounts = null;
            long cleanFlows = 0;
            for (double rate : RATES) {
                Counts before = gate.counts();
                Step current = openLoop(rate, app.base(), s3, bearers);
                if (current.unavailable.get() > 0 || current.errors.get() > 0) {
                    failed = current;
                    break;
                }
                clean = current;
                cleanFlows += current.started.get();
                cleanCounts = cleanCounts == null ? gate.counts().minus(before) : cleanCounts.plus(gate.counts().minus(before));
            }
            return report(load, clean, failed, cleanCounts, cleanFlows, gate, holds);
        } finally {
            app.stop(children);
            dynamoDb.close();
            engine.close();
        }
    }

    /** Starts flows at {@code rate} a second for one step, whatever the answers (open loop), then waits for them. */
    private Step openLoop(double rate, URI base, URI s3, List<String> bearers) throws Exception {
        Step current = new Step(rate);
        long interval = (long) (1e9 / rate);
        long began = System.nanoTime();
        List<CompletableFuture<Void>> flows = new ArrayList<>();
        for (int index = 0; began + index * interval < began + step.toNanos(); index++) {
            long due = began + index * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            flows.add(flow(base, s3, bearers, current, current.started.getAndIncrement()));
        }
        try {
            CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException slow) {
            current.errors.incrementAndGet();
            current.firstFailure.compareAndSet(null, "flows still running 30 s after the step");
        }
        current.seconds = (System.nanoTime() - began) / 1e9;
        return current;
    }

    /** One whole upload: init, the one part to its presigned URL, complete; outcomes counted in {@code step}. */
    private CompletableFuture<Void> flow(URI base, URI s3, List<String> bearers, Step step, int number) {
        long began = System.nanoTime();
        String bearer = bearers.isEmpty() ? null : bearers.get(number % bearers.size());
        String init = "{\"filename\":\"load.bin\",\"file_type\":\"application/octet-stream\",\"file_size\":"
                + PART.length + ",\"author_name\":\"author-" + (number % 50) + "\"}";
        return send(api(base, "/api/upload/init", bearer).POST(HttpRequest.BodyPublishers.ofString(init)))
                .thenCompose(started -> {
                    if (!step.ok(started, "init")) {
                        return CompletableFuture.completedFuture(null);
                    }
                    JsonNode body = json(started.body());
                    JsonNode part = body.get("parts").get(0);
                    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                            .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(PART));
                    part.path("headers").fields().forEachRemaining(header -> put.header(header.getKey(),
                            header.getValue().asText()));
                    return send(put).thenCompose(stored -> {
                        if (!step.ok(stored, "part PUT")) {
                            return CompletableFuture.completedFuture(null);
                        }
                        String complete = "{\"file_id\":\"" + body.get("file_id").asText() + "\",\"parts\":[{"
                                + "\"part_number\":1,\"etag\":" + JSON.valueToTree(stored.headers().firstValue("ETag")
                                        .orElse("")).toString() + "}]}";
                        return send(api(base, "/api/upload/complete", bearer)
                                .POST(HttpRequest.BodyPublishers.ofString(complete))).thenAccept(done -> {
                                    if (step.ok(done, "complete")) {
                                        step.latencies.add((System.nanoTime() - began) / 1e6);
                                    }
                                });
                    });
                }).exceptionally(failure -> {
                    step.errors.incrementAndGet();
                    step.firstFailure.compareAndSet(null, failure.toString());
                    return null;
                });
    }

    private static HttpRequest.Builder api(URI base, String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        return bearer == null ? request : request.header("Authorization", bearer);
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception malformed) {
            throw new IllegalStateException(body, malformed);
        }
    }

    private String report(String load, Step clean, Step failed, Counts counts, long allFlows, RecordingGate gate,
            RecordingHolds holds) {
        StringBuilder line = new StringBuilder(load + ": ");
        if (clean == null) {
            line.append("503 already at ").append(fmt(RATES[0])).append(" flows/s");
        } else {
            List<Double> sorted = new ArrayList<>(clean.latencies);
            Collections.sort(sorted);
            long flows = clean.latencies.size();
            line.append(String.format(Locale.ROOT, "sustained %s flows/s (%.1f completed/s), p50 %.0f ms, p99 %.0f ms",
                    fmt(clean.rate), flows / clean.seconds, percentile(sorted, 0.50), percentile(sorted, 0.99)));
            double perThousand = 1000.0 / (2.0 * Math.max(1, allFlows));
            line.append(String.format(Locale.ROOT, "; %.1f write + %.1f read units per flow; per 1,000 starts+"
                    + "endings: hottest shared item %s written %.0f times (%d writes in all; a flow's own record takes 3), "
                    + "hottest index partition %s %.0f",
                    counts.writeUnits / Math.max(1, allFlows), counts.readUnits / Math.max(1, allFlows), counts.hottestItem,
                    counts.hottestItemWrites * perThousand, counts.hottestItemWrites, counts.hottestIndexKey,
                    counts.hottestIndexWrites * perThousand));
        }
        if (failed != null) {
            boolean throttledFirst = gate.firstThrottleAt < holds.firstConflictAt;
            line.append(String.format(Locale.ROOT, "; first 503 at %s flows/s (%d of %d flows: %s); first throttling: "
                    + "%s; first conflict: %s (%s first)", fmt(failed.rate), failed.unavailable.get()
                    + failed.errors.get(), failed.started.get(), failed.firstFailure.get(), gate.firstThrottle.get(),
                    holds.firstConflict.get(), throttledFirst ? "throttling" : "conflict"));
        } else {
            line.append("; no 503 up to the last rate");
        }
        return line.toString();
    }

    private static double percentile(List<Double> sorted, double quantile) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, quantile * sorted.size()));
    }

    private static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    /** One rate's flows: outcomes, latencies of the flows that completed, the first failure. */
    private static final class Step {
        final double rate;
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        double seconds;

        Step(double rate) {
            this.rate = rate;
        }

        boolean ok(HttpResponse<String> answer, String call) {
            int status = answer.statusCode();
            if (status / 100 == 2) {
                return true;
            }
            (status == 503 ? unavailable : errors).incrementAndGet();
            firstFailure.compareAndSet(null, call + " " + status + (status == 503 ? "" : " "
                    + answer.body().replaceAll("\\s+", " ").substring(0, Math.min(160, answer.body().length()))));
            return false;
        }
    }

    /** What the engine charged so far: units, and the writes each item and each index partition took. */
    private record Counts(double writeUnits, double readUnits, String hottestItem, long hottestItemWrites,
            String hottestIndexKey, long hottestIndexWrites) {

        /** Units spent since {@code before}; the hottest keys stay counted from the moment the limits came on. */
        Counts minus(Counts before) {
            return new Counts(writeUnits - before.writeUnits, readUnits - before.readUnits, hottestItem,
                    hottestItemWrites, hottestIndexKey, hottestIndexWrites);
        }

        Counts plus(Counts more) {
            return new Counts(writeUnits + more.writeUnits, readUnits + more.readUnits, more.hottestItem,
                    more.hottestItemWrites, more.hottestIndexKey, more.hottestIndexWrites);
        }
    }

    /**
     * Passes every charge to the limits on now and counts what passed: units, and writes per item (the table's
     * partition key is the item: one key per record) and per index partition; remembers the first refusal.
     */
    private static final class RecordingGate implements ThroughputGate {
        private volatile ThroughputGate limits = ThroughputGate.unlimited();
        private volatile boolean counting;
        private final DoubleAdder writeUnits = new DoubleAdder();
        private final DoubleAdder readUnits = new DoubleAdder();
        private final Map<String, LongAdder> itemWrites = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> indexWrites = new ConcurrentHashMap<>();
        final AtomicReference<String> firstThrottle = new AtomicReference<>();
        volatile long firstThrottleAt = Long.MAX_VALUE;

        void on(ThroughputGate gate) {
            limits = gate;
            counting = true;
        }

        @Override
        public void charge(List<Charge> charges) {
            try {
                limits.charge(charges);
            } catch (ThrottledException throttled) {
                if (firstThrottle.compareAndSet(null, describe(charges, throttled))) {
                    firstThrottleAt = System.nanoTime();
                }
                throw throttled;
            }
            if (!counting) {
                return;
            }
            for (Charge charge : charges) {
                writeUnits.add(charge.writeUnits());
                readUnits.add(charge.readUnits());
                if (charge.writeUnits() > 0) {
                    (charge.index() == null ? itemWrites : indexWrites).computeIfAbsent(
                            charge.index() == null ? charge.partitionKey() : charge.index() + " " + charge.partitionKey(),
                            key -> new LongAdder()).increment();
                }
            }
        }

        @Override
        public void capacity(String table, String index, Double readUnits, Double writeUnits) {
            limits.capacity(table, index, readUnits, writeUnits);
        }

        private static String describe(List<Charge> charges, ThrottledException throttled) {
            StringBuilder text = new StringBuilder(throttled.awsType());
            for (ThrottledException.ThrottlingReason reason : throttled.reasons()) {
                text.append(' ').append(reason.reason());
            }
            for (int refused : throttled.refusedCharges()) {
                Charge charge = charges.get(refused);
                text.append(" [").append(charge.index() == null ? "table" : charge.index()).append(" key ")
                        .append(name(charge.partitionKey())).append(']');
            }
            return text.toString();
        }

        Counts counts() {
            // Items written for one upload only (its record, its digests, its events) are bounded per upload; the
            // goal is about items that many uploads share (counter shards, leases).
            Map.Entry<String, LongAdder> item = hottest(itemWrites.entrySet().stream()
                    .filter(entry -> !FILE_ID.matcher(entry.getKey()).find())
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            Map.Entry<String, LongAdder> index = hottest(indexWrites);
            return new Counts(writeUnits.sum(), readUnits.sum(), item == null ? "-" : name(item.getKey()),
                    item == null ? 0 : item.getValue().sum(), index == null ? "-" : name(index.getKey()),
                    index == null ? 0 : index.getValue().sum());
        }

        private static Map.Entry<String, LongAdder> hottest(Map<String, LongAdder> writes) {
            return writes.entrySet().stream().max(Comparator.comparingLong(entry -> entry.getValue().sum()))
                    .orElse(null);
        }

        private static final java.util.regex.Pattern FILE_ID = java.util.regex.Pattern.compile(
                "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

        /** A key as the report names it: upload records as such (their ids say nothing), the rest as they are. */
        private static String name(String key) {
            return key.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<file id>");
        }
    }

    /** Passes every hold to the limits on now; remembers the first conflict and its item. */
    private static final class RecordingHolds implements ItemHolds {
        private volatile ItemHolds limits = ItemHolds.none();
        final AtomicReference<String> firstConflict = new AtomicReference<>();
        volatile long firstConflictAt = Long.MAX_VALUE;

        void on(ItemHolds holds) {
            limits = holds;
        }

        @Override
        public AutoCloseable hold(List<String> itemKeys, boolean transaction) {
            try {
                return limits.hold(itemKeys, transaction);
            } catch (TransactionCanceledException | TransactionConflictException conflict) {
                String item = conflict instanceof TransactionConflictException single ? single.itemKey()
                        : String.join(", ", itemKeys);
                if (firstConflict.compareAndSet(null, "TransactionConflict on " + RecordingGate.name(item))) {
                    firstConflictAt = System.nanoTime();
                }
                throw conflict;
            }
        }
    }
}
