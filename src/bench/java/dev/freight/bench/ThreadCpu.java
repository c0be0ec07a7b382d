package dev.freight.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds of each thread of a JVM process (/proc/<pid>/task/<tid>/stat), so a delta can say which kind of work
 * the service's CPU went to: answering requests, compiling (the JIT), collecting garbage, or the rest (timers,
 * periodic VM tasks).
 */
record ThreadCpu(double processSeconds, Map<Long, Reading> threads) {

    /** One thread: its name (the kernel's 15-character {@code comm}) and CPU seconds so far. */
    record Reading(String name, double seconds) {
    }

    static final String REQUESTS = "requests";
    static final String JIT = "JIT compilers";
    static final String GC = "GC and VM";
    static final String OTHER = "other";
    static final List<String> GROUPS = List.of(REQUESTS, JIT, GC, OTHER);

    private static final double TICKS = 100.0;

    static ThreadCpu of(long pid) {
        Map<Long, Reading> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
                    threads.put(Long.parseLong(task.getFileName().toString()), new Reading(name, seconds));
                } catch (IOException exited) {
                    // The thread ended between listing and reading: its CPU shows in the process total.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/task", e);
        }
        return new ThreadCpu(ProcStats.of(pid).cpuSeconds(), threads);
    }

    /**
     * CPU seconds since {@code before} by kind of work. Threads that ended meanwhile are gone from /proc with their
     * CPU: the process total minus the live threads' deltas counts them under "other".
     */
    Map<String, Double> groupsSince(ThreadCpu before) {
        Map<String, Double> groups = new LinkedHashMap<>();
        for (String group : GROUPS) {
            groups.put(group, 0.0);
        }
        double live = 0;
        for (Map.Entry<Long, Reading> thread : threads.entrySet()) {
            Reading earlier = before.threads.get(thread.getKey());
            double delta = thread.getValue().seconds() - (earlier == null ? 0 : earlier.seconds());
            live += delta;
            groups.merge(group(thread.getValue().name()), delta, Double::sum);
        }
        groups.merge(OTHER, Math.max(0, processSeconds - before.processSeconds - live), Double::sum);
        return groups;
    }

    private static String group(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("executor-thread") || name.startsWith("vert.x-eventloo") || name.startsWith("vert.x-worker")
                || name.startsWith("freight-assembl")) {
            return REQUESTS;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return GC;
        }
        return OTHER;
    }
}
