package dev.freight.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.freight.support.PackagedAppEnvironment;

/**
 * Start-up and memory of the packaged app, one launch at a time: process start to the first 200 of
 * {@code /q/health/ready}, then to the first answer of an API call sent right after it (what an autoscaler's first
 * routed request sees), RSS peak during all that and RSS at idle a few seconds later. Also the JVM floor: a trivial
 * class on the same JVM, to show what no application can go below on this machine.
 * <p>
 * Runs on its own too, against storage it starts itself (for trying JVM flags):
 * {@code StartupBench [--starts N] [--idle SECONDS] 'name|java home|directory|arg arg …' …}.
 */
final class StartupBench {

    /** How one form runs the app: its name in the report, the java binary, the working directory, the arguments. */
    record Launch(String name, String java, Path directory, List<String> arguments) {

        List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(arguments);
            return command;
        }
    }

    /**
     * One start: seconds to readiness, seconds to the first API answer, the process's CPU seconds (all threads) by
     * then, peak and idle RSS in bytes, and the RSS once settled ({@link #SETTLED} after the first answer: the JVM
     * hands the compilers' freed arenas back to malloc every 5 s, and the trimmer returns them to the OS after that).
     */
    record Start(double readySeconds, double firstAnswerSeconds, double cpuSeconds, long peakRss, long idleRss,
            long settledRss) {
    }

    /** When the settled RSS is read, after the first answer (the idle one is read after {@code idleWait}). */
    static final Duration SETTLED = Duration.ofSeconds(10);

    /** The trivial class's start: seconds until it printed its line, RSS then. */
    record Floor(double seconds, long rss) {
    }

    private final Map<String, String> storageEnvironment;
    private final Path logs;
    private final Duration idleWait;
    private final List<Process> children;
    private final boolean settle;
    private boolean provisioned;
    /** The {@code Authorization} header of the first API call, for an app with authentication on; else null. */
    private String authorization;

    /** {@code settle}: also read the settled RSS ({@link #SETTLED} after the first answer) of every start. */
    StartupBench(Map<String, String> storageEnvironment, Path logs, Duration idleWait, boolean settle,
            List<Process> children) {
        this.storageEnvironment = storageEnvironment;
        this.logs = logs;
        this.idleWait = idleWait;
        this.settle = settle;
        this.children = children;
    }

    /** The first API call of every start carries this header (an app started with authentication on). */
    StartupBench authorizedAs(String authorizationHeader) {
        this.authorization = authorizationHeader;
        return this;
    }

    /** Starts the app once, measures, and leaves it running (returned) for callers that go on using it. */
    Running start(Launch launch, String logName) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = logs.resolve(logName + ".log");
        ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.directory().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(storageEnvironment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int managementPort = PackagedAppEnvironment.freePort();
        env.put(PackagedAppEnvironment.MANAGEMENT_PORT, Integer.toString(managementPort));
        // The first start creates the bucket and the table; every later one finds them, as in production, where
        // provisioning is off (its default) and the start-up makes no storage calls before the readiness probe.
        env.put("FREIGHT_STORAGE_PROVISION", Boolean.toString(!provisioned));
        provisioned = true;
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        // HTTP/1.1, as the training run sends (AotCacheTraining): the default (HTTP/2) asks for an h2c upgrade, which
        // loads ~190 Netty HTTP/2 classes during the measured start that no real probe or client would cause.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        // The probes are on the management interface, their own port.
        URI management = URI.create("http://127.0.0.1:" + managementPort + "/");
        HttpRequest ready = HttpRequest.newBuilder(management.resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder apiCall = HttpRequest.newBuilder(base.resolve("/api/upload?author_name=bench&limit=1"))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            apiCall.header("Authorization", authorization);
        }
        HttpRequest api = apiCall.build();
        long began = System.nanoTime();
        Process process = builder.start();
        children.add(process);
        RssPeak peak = new RssPeak(process.pid(), 5);
        peak.start();
        double readySeconds;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(launch.name() + ": the app exited (" + process.exitValue() + "): "
                        + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readySeconds = (System.nanoTime() - began) / 1e9;
                    break;
                }
            } catch (java.io.IOException notYet) {
                // Not listening yet.
            }
            if (System.nanoTime() - began > Duration.ofSeconds(60).toNanos()) {
                throw new IllegalStateException(launch.name() + ": not ready within 60 s; see " + log);
            }
            Thread.sleep(10);
        }
        HttpResponse<String> answer = http.send(api, HttpResponse.BodyHandlers.ofString());
        double firstAnswerSeconds = (System.nanoTime() - began) / 1e9;
        double cpuSeconds = ProcStats.of(process.pid()).cpuSeconds();
        if (answer.statusCode() != 200 || !answer.body().contains("\"uploads\"")) {
            throw new IllegalStateException(launch.name() + ": first API call answered " + answer.statusCode() + " "
                    + answer.body());
        }
        Thread.sleep(idleWait.toMillis());
        long idleRss = ProcStats.rss(process.pid());
        peak.stop();
        long settledRss = idleRss;
        if (settle) {
            Thread.sleep(SETTLED.minus(idleWait).toMillis());
            settledRss = ProcStats.rss(process.pid());
        }
        return new Running(process, base, management, new Start(readySeconds, firstAnswerSeconds, cpuSeconds,
                Math.max(peak.peak(), idleRss), idleRss, settledRss));
    }

    /**
     * Starts and stops each launch form {@code starts} times, taking the forms in turn (A B C A B C …) so that a
     * change in the machine's load hits them alike.
     */
    Map<Launch, List<Start>> measure(List<Launch> launches, int starts) throws Exception {
        Map<Launch, List<Start>> measured = new LinkedHashMap<>();
        for (int i = 0; i < starts; i++) {
            for (Launch launch : launches) {
                Running running = start(launch, launch.name().replaceAll("\\W+", "_") + "-" + i);
                running.stop(children);
                Start start = running.start();
                measured.computeIfAbsent(launch, ignored -> new ArrayList<>()).add(start);
                BenchSuite.log(String.format("%s, start %d: ready %.2f s, first answer %.2f s, %.2f CPU s, peak RSS "
                        + "%d MiB, idle RSS %d MiB, settled %d MiB", launch.name(), i, start.readySeconds(),
                        start.firstAnswerSeconds(), start.cpuSeconds(), start.peakRss() >> 20, start.idleRss() >> 20,
                        start.settledRss() >> 20));
            }
        }
        return measured;
    }

    /** A started app: the process, its base URI, its management interface's and the figures of its start. */
    record Running(Process process, URI base, URI management, Start start) {

        void stop(List<Process> children) throws Exception {
            process.destroy();
            process.waitFor();
            children.remove(process);
        }
    }

    /** The JVM floor: {@link Trivial} on {@code javaBin}, median of {@code starts} starts. */
    static List<Floor> floor(String javaBin, int starts) throws Exception {
        List<Floor> floors = new ArrayList<>();
        String classpath = System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0];
        for (int i = 0; i < starts; i++) {
            long began = System.nanoTime();
            Process process = new ProcessBuilder(javaBin, "-cp", classpath, Trivial.class.getName())
                    .redirectErrorStream(true).start();
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            double seconds = (System.nanoTime() - began) / 1e9;
            long rss = ProcStats.rss(process.pid());
            process.getOutputStream().close();
            process.waitFor();
            if (!"ready".equals(line)) {
                throw new IllegalStateException("the trivial class printed " + line);
            }
            floors.add(new Floor(seconds, rss));
        }
        return floors;
    }

    /** Peak resident memory of one process, sampled every few milliseconds. */
    static final class RssPeak {
        private final long pid;
        private final long periodMillis;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        RssPeak(long pid, long periodMillis) {
            this.pid = pid;
            this.periodMillis = periodMillis;
            this.thread = new Thread(this::sample, "rss-peak-" + pid);
            thread.setDaemon(true);
        }

        private void sample() {
            while (running) {
                peak.accumulateAndGet(ProcStats.rss(pid), Math::max);
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException stop) {
                    return;
                }
            }
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

    /** The JVM floor's trivial class: prints one line and waits for its input to close. */
    static final class Trivial {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Held open until the bench has read the RSS.
            }
        }
    }

    /** Launch forms given on the command line, for trying flags: {@code name|java home|directory|args}. */
    public static void main(String[] args) throws Exception {
        int starts = 3;
        Duration idle = Duration.ofSeconds(3);
        List<Launch> launches = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    String[] parts = args[i].split("\\|", 4);
                    launches.add(new Launch(parts[0], Path.of(parts[1], "bin", "java").toString(), Path.of(parts[2]),
                            Arrays.stream(parts[3].trim().split("\\s+")).toList()));
                }
            }
        }
        Path work = Files.createTempDirectory("freight-startup");
        List<Process> children = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroy)));
        StorageMain.Server s3 = StorageMain.launch(work, children, "s3", work.resolve("s3-data").toString(),
                BenchSuite.ACCESS_KEY, BenchSuite.SECRET_KEY);
        StorageMain.Server dynamoDb = StorageMain.launch(work, children, "dynamodb");
        Map<String, String> env = BenchSuite.appEnvironment(s3.endpoint(), dynamoDb.endpoint());
        StartupBench bench = new StartupBench(env, work, idle, true, children);
        // Creates the bucket and the table, so every measured start finds them (as in production).
        bench.start(launches.get(0), "provision").stop(children);
        Map<Launch, List<Start>> results = bench.measure(launches, starts);
        for (Map.Entry<Launch, List<Start>> entry : results.entrySet()) {
            List<Start> list = entry.getValue();
            System.out.printf("%-32s ready %s s, answer %s s, CPU %s s, peak %s MiB, idle %s MiB, settled %s MiB%n",
                    entry.getKey().name(), Spread.of(list.stream().map(Start::readySeconds).toList()).format("%.2f"),
                    Spread.of(list.stream().map(Start::firstAnswerSeconds).toList()).format("%.2f"),
                    Spread.of(list.stream().map(Start::cpuSeconds).toList()).format("%.1f"),
                    Spread.of(list.stream().map(s -> s.peakRss() / 1048576.0).toList()).format("%.0f"),
                    Spread.of(list.stream().map(s -> s.idleRss() / 1048576.0).toList()).format("%.0f"),
                    Spread.of(list.stream().map(s -> s.settledRss() / 1048576.0).toList()).format("%.0f"));
        }
        System.out.println("load average " + Files.readString(Path.of("/proc/loadavg")).trim());
        children.forEach(Process::destroy);
        System.exit(0);
    }
}
