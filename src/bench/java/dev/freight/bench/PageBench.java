package dev.freight.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The browser app's upload as a user runs it: Debian's headless Chromium (driven by Playwright) opens the page
 * served by the packaged app, the file is chosen, and the run is timed from choosing to the row showing "done"
 * (hashed, sent, completed and verified). Each run uses a fresh browser context (no IndexedDB state), and reports
 * the page's own timing marks ({@code performance.measure} entries named {@code freight:*}) and the Resource
 * Timing of its requests, so the benchmarks page can say where the time goes.
 */
final class PageBench implements AutoCloseable {

    private static final Pattern PROCESS_TYPE = Pattern.compile("--type=(\\S+)");
    private static final Pattern UTILITY_SUB_TYPE = Pattern.compile("--utility-sub-type=(\\S+)");

    static final Path CHROMIUM = Path.of(System.getProperty("freight.chromium", "/usr/bin/chromium"));

    /**
     * One page upload: wall seconds, where the page spent them, the service's and the storage's readings and the
     * browser's CPU seconds by process type.
     */
    record Run(double seconds, long bytes, Map<String, List<Double>> phases, ProcStats service, ProcStats storage,
            Map<String, Double> browserCpuByType) {

        double browserCpuSeconds() {
            return browserCpuByType.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double mibPerSecond() {
            return bytes / 1048576.0 / seconds;
        }
    }

    private final Playwright playwright;
    private final Browser browser;
    private final URI app;
    private final S3Client s3;
    private final String bucket;
    private final long servicePid;
    private final long storagePid;

    PageBench(URI app, S3Client s3, String bucket, long servicePid, long storagePid) {
        this.app = app;
        this.s3 = s3;
        this.bucket = bucket;
        this.servicePid = servicePid;
        this.storagePid = storagePid;
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** Uploads {@code file} through the page; throws with the page's message if the upload fails. */
    Run upload(Path file, long bytes) {
        try (BrowserContext context = browser.newContext()) {
            // Room for every request of a 1 GiB upload in the Resource Timing buffer (default 250 entries).
            context.addInitScript("performance.setResourceTimingBufferSize(10000)");
            Page page = context.newPage();
            // ?timing: the page records each part's phases as performance.measure entries (js/timing.js).
            page.navigate(app.resolve("/?timing").toString());
            page.waitForSelector("body[data-ready=true]");
            Map<BrowserProcess, Double> browserBefore = browserCpu();
            ProcStats serviceBefore = ProcStats.of(servicePid);
            ProcStats storageBefore = ProcStats.of(storagePid);
            long began = System.nanoTime();
            page.setInputFiles("#file-input", file);
            page.waitForSelector("li.upload[data-state=done], li.upload[data-state=failed]",
                    new Page.WaitForSelectorOptions().setTimeout(15 * 60_000));
            double seconds = (System.nanoTime() - began) / 1e9;
            ProcStats service = ProcStats.of(servicePid).minus(serviceBefore);
            ProcStats storage = ProcStats.of(storagePid).minus(storageBefore);
            Map<String, Double> browserSeconds = new java.util.TreeMap<>();
            for (Map.Entry<BrowserProcess, Double> process : browserCpu().entrySet()) {
                browserSeconds.merge(process.getKey().type(),
                        process.getValue() - browserBefore.getOrDefault(process.getKey(), 0.0), Double::sum);
            }
            String state = page.getAttribute("li.upload", "data-state");
            if (!"done".equals(state)) {
                throw new IllegalStateException("the page's upload failed: " + page.textContent("li.upload .message"));
            }
            Map<String, List<Double>> phases = phases(page);
            String fileId = page.getAttribute("li.upload", "data-file-id");
            // The object key starts with the file id; deleting keeps the temp disk from filling up.
            s3.listObjectsV2(list -> list.bucket(bucket).prefix(fileId)).contents()
                    .forEach(object -> s3.deleteObject(delete -> delete.bucket(bucket).key(object.key())));
            return new Run(seconds, bytes, phases, service, storage, browserSeconds);
        }
    }

    /** A Chromium process: its type ({@code --type=}: renderer, utility, gpu-process; "browser" without one). */
    record BrowserProcess(long pid, String type) {
    }

    /**
     * CPU seconds of each live Chromium process under this JVM (browser, renderers, GPU, network and utility
     * processes; Playwright's driver is the harness and is left out). A process started during the run counts
     * from zero.
     */
    private static Map<BrowserProcess, Double> browserCpu() {
        Map<BrowserProcess, Double> cpu = new java.util.HashMap<>();
        ProcessHandle.current().descendants()
                .filter(process -> process.info().command().map(command -> command.contains("chrom")).orElse(false))
                .forEach(process -> process.info().totalCpuDuration().ifPresent(total -> cpu.put(
                        new BrowserProcess(process.pid(), type(process)), total.toNanos() / 1e9)));
        return cpu;
    }

    private static String type(ProcessHandle process) {
        // Read from /proc: Chromium rewrites its command line into one space-separated string, which
        // ProcessHandle.Info returns as a single argument.
        String commandLine;
        try {
            commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (java.io.IOException gone) {
            return "browser";
        }
        Matcher subType = UTILITY_SUB_TYPE.matcher(commandLine);
        if (subType.find()) {
            return subType.group(1).replace(".mojom.", " "); // network.mojom.NetworkService -> network NetworkService
        }
        Matcher type = PROCESS_TYPE.matcher(commandLine);
        return type.find() ? type.group(1) : "browser";
    }

    /**
     * Durations in ms by phase: the page's own {@code freight:<phase>} measures, plus {@code put} (part PUTs to
     * storage) and {@code api <path>} (calls to the service) from Resource Timing.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, List<Double>> phases(Page page) {
        Object raw = page.evaluate("""
                () => {
                  const phases = {};
                  const add = (name, ms) => (phases[name] ??= []).push(ms);
                  for (const m of performance.getEntriesByType('measure')) {
                    if (m.name.startsWith('freight:')) add(m.name.slice(8), m.duration);
                  }
                  for (const r of performance.getEntriesByType('resource')) {
                    const url = new URL(r.name);
                    if (url.searchParams.has('partNumber')) add('put', r.duration);
                    else if (url.pathname.startsWith('/api/')) add('api ' + url.pathname.replace(/[0-9a-f-]{36}/, '{id}'), r.duration);
                  }
                  return phases;
                }""");
        Map<String, List<Double>> phases = new java.util.TreeMap<>();
        ((Map<String, Object>) raw).forEach((name, values) -> {
            List<Double> durations = new ArrayList<>();
            for (Object value : (List<Object>) values) {
                durations.add(((Number) value).doubleValue());
            }
            phases.put(name, durations);
        });
        return phases;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
