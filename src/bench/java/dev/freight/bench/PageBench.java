package dev.freight.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    static final Path CHROMIUM = Path.of(System.getProperty("freight.chromium", "/usr/bin/chromium"));

    /** One page upload: wall seconds and where the page spent them. */
    record Run(double seconds, long bytes, Map<String, List<Double>> phases) {
        double mibPerSecond() {
            return bytes / 1048576.0 / seconds;
        }
    }

    private final Playwright playwright;
    private final Browser browser;
    private final URI app;
    private final S3Client s3;
    private final String bucket;

    PageBench(URI app, S3Client s3, String bucket) {
        this.app = app;
        this.s3 = s3;
        this.bucket = bucket;
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
            long began = System.nanoTime();
            page.setInputFiles("#file-input", file);
            page.waitForSelector("li.upload[data-state=done], li.upload[data-state=failed]",
                    new Page.WaitForSelectorOptions().setTimeout(15 * 60_000));
            double seconds = (System.nanoTime() - began) / 1e9;
            String state = page.getAttribute("li.upload", "data-state");
            if (!"done".equals(state)) {
                throw new IllegalStateException("the page's upload failed: " + page.textContent("li.upload .message"));
            }
            Map<String, List<Double>> phases = phases(page);
            String fileId = page.getAttribute("li.upload", "data-file-id");
            // The object key starts with the file id; deleting keeps the temp disk from filling up.
            s3.listObjectsV2(list -> list.bucket(bucket).prefix(fileId)).contents()
                    .forEach(object -> s3.deleteObject(delete -> delete.bucket(bucket).key(object.key())));
            return new Run(seconds, bytes, phases);
        }
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
