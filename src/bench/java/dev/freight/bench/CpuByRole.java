package dev.freight.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU seconds of every process of a browser benchmark by role, threads apart where the role's work is told by its
 * threads: Chromium by process type (the renderer's hashing Web Workers apart from its main thread), this JVM (the
 * embedded storage: S3Proxy's Jetty threads, the AWS-rules gateway's Vert.x threads, the rest), the packaged service,
 * real Companion and Playwright's driver. A reading is taken before and after a run; {@link #since} is the run's CPU.
 */
final class CpuByRole {

    private static final Pattern PROCESS_TYPE = Pattern.compile("--type=(\\S+)");
    private static final Pattern UTILITY_SUB_TYPE = Pattern.compile("--utility-sub-type=(\\S+)");

    /** The roles in the order they are printed. */
    static final String[] ROLES = {"renderer: hash workers", "renderer: main", "renderer: other", "browser",
        "network", "gpu", "chromium other", "storage: S3Proxy", "storage: gateway", "storage JVM: other", "service",
        "Companion", "harness"};

    /** pid:tid -> role and CPU seconds so far. */
    private final Map<String, Reading> threads = new HashMap<>();

    private record Reading(String role, double seconds) {
    }

    private CpuByRole() {
    }

    static CpuByRole now() {
        CpuByRole readings = new CpuByRole();
        readings.addProcess(ProcessHandle.current().pid(), CpuByRole::storageThread);
        ProcessHandle.current().descendants().forEach(process -> {
            String commandLine = commandLine(process.pid());
            if (commandLine.contains("chrom")) {
                String type = chromiumType(commandLine);
                if (type.equals("renderer")) {
                    // The main thread keeps the process's name; Chromium names the others.
                    readings.addProcess(process.pid(), thread -> thread.equals("chromium") ? "renderer: main"
                            : rendererThread(thread));
                } else {
                    readings.addProcess(process.pid(), thread -> type);
                }
            } else if (commandLine.contains("quarkus-run.jar")) {
                readings.addProcess(process.pid(), thread -> "service");
            } else if (commandLine.contains("companion")) {
                readings.addProcess(process.pid(), thread -> "Companion");
            } else {
                readings.addProcess(process.pid(), thread -> "harness");
            }
        });
        return readings;
    }

    /** CPU seconds by role from {@code before} to this reading (threads that ended meanwhile are not counted). */
    Map<String, Double> since(CpuByRole before) {
        Map<String, Double> roles = new LinkedHashMap<>();
        for (String role : ROLES) {
            roles.put(role, 0.0);
        }
        threads.forEach((id, reading) -> {
            Reading earlier = before.threads.get(id);
            roles.merge(reading.role(), reading.seconds() - (earlier == null ? 0 : earlier.seconds()), Double::sum);
        });
        return roles;
    }

    /** The Chromium processes' CPU seconds from {@code before}, all roles of the browser summed. */
    static double chromium(Map<String, Double> roles) {
        return roles.entrySet().stream().filter(role -> role.getKey().startsWith("renderer")
                || Map.of("browser", 1, "network", 1, "gpu", 1, "chromium other", 1).containsKey(role.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The embedded storage's CPU seconds (this JVM: S3Proxy, the gateway and the rest). */
    static double storage(Map<String, Double> roles) {
        return roles.entrySet().stream().filter(role -> role.getKey().startsWith("storage"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private void addProcess(long pid, Function<String, String> roleOfThread) {
        Map<Long, ThreadCpu.Reading> live;
        try {
            live = ThreadCpu.of(pid).threads();
        } catch (IllegalStateException gone) {
            return;
        }
        live.forEach((tid, thread) -> threads.put(pid + ":" + tid,
                new Reading(roleOfThread.apply(thread.name()), thread.seconds())));
    }

    /** This JVM's threads: S3Proxy serves on Jetty ("qtp..."), the gateway on Vert.x. */
    private static String storageThread(String name) {
        if (name.startsWith("qtp") || name.startsWith("S3Proxy")) {
            return "storage: S3Proxy";
        }
        if (name.startsWith("vert.x-")) {
            return "storage: gateway";
        }
        return "storage JVM: other";
    }

    private static String rendererThread(String name) {
        if (name.startsWith("DedicatedWorker")) {
            return "renderer: hash workers";
        }
        if (name.startsWith("CrRendererMain")) {
            return "renderer: main";
        }
        return "renderer: other";
    }

    private static String chromiumType(String commandLine) {
        Matcher subType = UTILITY_SUB_TYPE.matcher(commandLine);
        if (subType.find()) {
            return subType.group(1).startsWith("network.") ? "network" : "chromium other";
        }
        Matcher type = PROCESS_TYPE.matcher(commandLine);
        if (!type.find()) {
            return "browser";
        }
        return switch (type.group(1)) {
            case "renderer" -> "renderer";
            case "gpu-process" -> "gpu";
            default -> "chromium other";
        };
    }

    private static String commandLine(long pid) {
        try {
            // Chromium rewrites its command line into one space-separated string.
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    /** Thread names of this JVM with their CPU seconds, for finding out which threads are whose. */
    static Map<String, Double> ownThreadsByName() {
        Map<String, Double> names = new TreeMap<>();
        ThreadCpu.of(ProcessHandle.current().pid()).threads().values()
                .forEach(thread -> names.merge(thread.name().replaceAll("[0-9]+", "#"), thread.seconds(), Double::sum));
        return names;
    }
}
