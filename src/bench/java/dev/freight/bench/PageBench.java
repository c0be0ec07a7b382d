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
 * Timing of its requests, so the benchmarks page can say where the time goes. {@link #floor} is the same browser
 * doing the least an upload needs, without the app's code: what no page can beat on this machine.
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
            // ?timing: the page records each part's phases as performance.measure entries (js/timing.js).
            Page page = openApp(context, "/?timing");
            Meter meter = new Meter();
            page.setInputFiles("#file-input", file);
            page.waitForSelector("li.upload[data-state=done], li.upload[data-state=failed]",
                    new Page.WaitForSelectorOptions().setTimeout(15 * 60_000));
            meter.stop();
            String state = page.getAttribute("li.upload", "data-state");
            if (!"done".equals(state)) {
                throw new IllegalStateException("the page's upload failed: " + page.textContent("li.upload .message"));
            }
            deleteUploaded(page.getAttribute("li.upload", "data-file-id"));
            return meter.run(bytes, phases(page));
        }
    }

    /**
     * The least a browser does to upload {@code file} through Freight, for a floor under the page: same Chromium,
     * fresh context, on the app's origin (so storage's CORS rules accept it) but without the app's code in the
     * upload: a file input of its own, then {@link #FLOOR_SCRIPT}. Timed from choosing the file to complete's answer.
     * With {@code sha256}, every part is read, hashed with WebCrypto and signed with its own checksum-bound
     * {@code refresh_urls} call, as the page must; without, a plain upload (no checksums) sends file slices as they are.
     */
    Run floor(Path file, long bytes, boolean sha256, int inFlight) {
        try (BrowserContext context = browser.newContext()) {
            // The script calls this just before complete: storage's assembly is a phase no client can overlap
            // with sending, so its CPU is told apart from the parts'.
            CpuSince beforeComplete = new CpuSince();
            context.exposeFunction("freightFloorMark", args -> {
                beforeComplete.mark();
                return null;
            });
            Page page = openApp(context, "/");
            page.evaluate(FLOOR_SCRIPT, Map.of("sha256", sha256, "inFlight", inFlight));
            Meter meter = new Meter();
            page.setInputFiles("#floor-input", file);
            Object fileId = page.evaluate("() => window.freightFloor");
            meter.stop();
            Map<String, List<Double>> phases = phases(page);
            phases.putAll(beforeComplete.cpuMillis("complete"));
            deleteUploaded((String) fileId);
            return meter.run(bytes, phases);
        }
    }

    /** CPU of the storage, the service and Chromium from a mark on, as CPU-ms phases. */
    private final class CpuSince {
        private ProcStats storage;
        private ProcStats service;
        private double browser;

        void mark() {
            storage = ProcStats.of(storagePid);
            service = ProcStats.of(servicePid);
            browser = browserCpu().values().stream().mapToDouble(Double::doubleValue).sum();
        }

        Map<String, List<Double>> cpuMillis(String phase) {
            double browserNow = browserCpu().values().stream().mapToDouble(Double::doubleValue).sum();
            return Map.of(
                    phase + ": storage CPU", List.of(1000 * ProcStats.of(storagePid).minus(storage).cpuSeconds()),
                    phase + ": service CPU", List.of(1000 * ProcStats.of(servicePid).minus(service).cpuSeconds()),
                    phase + ": Chromium CPU", List.of(1000 * (browserNow - browser)));
        }
    }

    /** A fresh page of the app, ready (its scripts loaded), with room for every request in Resource Timing. */
    private Page openApp(BrowserContext context, String path) {
        // Room for every request of a 1 GiB upload in the Resource Timing buffer (default 250 entries).
        context.addInitScript("performance.setResourceTimingBufferSize(10000)");
        Page page = context.newPage();
        page.navigate(app.resolve(path).toString());
        page.waitForSelector("body[data-ready=true]");
        return page;
    }

    /** The object key starts with the file id; deleting keeps the temp disk from filling up. */
    private void deleteUploaded(String fileId) {
        s3.listObjectsV2(list -> list.bucket(bucket).prefix(fileId)).contents()
                .forEach(object -> s3.deleteObject(delete -> delete.bucket(bucket).key(object.key())));
    }

    /** CPU of the browser's processes, the service and the storage, and wall time, from construction to stop(). */
    private final class Meter {
        private final Map<BrowserProcess, Double> browserBefore = browserCpu();
        private final ProcStats serviceBefore = ProcStats.of(servicePid);
        private final ProcStats storageBefore = ProcStats.of(storagePid);
        private final long began = System.nanoTime();
        private double seconds;
        private ProcStats service;
        private ProcStats storage;
        private final Map<String, Double> browserSeconds = new java.util.TreeMap<>();

        void stop() {
            seconds = (System.nanoTime() - began) / 1e9;
            service = ProcStats.of(servicePid).minus(serviceBefore);
            storage = ProcStats.of(storagePid).minus(storageBefore);
            for (Map.Entry<BrowserProcess, Double> process : browserCpu().entrySet()) {
                browserSeconds.merge(process.getKey().type(),
                        process.getValue() - browserBefore.getOrDefault(process.getKey(), 0.0), Double::sum);
            }
        }

        Run run(long bytes, Map<String, List<Double>> phases) {
            return new Run(seconds, bytes, phases, service, storage, browserSeconds);
        }
    }

    /**
     * The floor's upload (see {@link #floor}): adds {@code <input id=floor-input>} and leaves in
     * {@code window.freightFloor} a promise of the file id, which starts when a file is chosen. Reads and hashes are
     * recorded as {@code freight:read} and {@code freight:hash} measures, init, all parts and complete as
     * {@code freight:init}, {@code freight:parts} and {@code freight:complete}, so {@link #phases} reports them;
     * before complete it calls {@code freightFloorMark()} (see {@link #floor}).
     */
    private static final String FLOOR_SCRIPT = """
            ({ sha256, inFlight }) => {
              const api = async (method, path, body) => {
                const response = await fetch(path, { method, body: body && JSON.stringify(body),
                  headers: body ? { Accept: 'application/json', 'Content-Type': 'application/json' } : { Accept: 'application/json' } });
                if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
                return response.json();
              };
              // The signed headers as they came; the browser sets Content-Length from the body.
              const put = async (signed, body) => {
                const response = await fetch(signed.url, { method: 'PUT', body, headers: signed.headers ?? {} });
                if (!response.ok) throw new Error(`PUT part ${signed.part_number}: ${response.status} ${await response.text()}`);
                return response.headers.get('ETag');
              };
              // `inFlight` workers, each taking the next part number until none is left (fetch queues what
              // exceeds Chromium's 6 connections per host, so more than 6 shows whether that limit binds).
              const inParallel = (count, send) => {
                let next = 1;
                const worker = async () => { for (let n = next++; n <= count; n = next++) await send(n); };
                return Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
              };
              const timed = async (name, work) => {
                const began = performance.now();
                try { return await work(); } finally { performance.measure('freight:' + name, { start: began }); }
              };
              const base64 = (digest) => btoa(String.fromCharCode(...new Uint8Array(digest)));
              // Storage may still be assembling after complete's wait (202, completing): poll until uploaded.
              const complete = async (fileId, parts) => {
                await window.freightFloorMark(); // the CPU readings before complete (PageBench.floor)
                return timed('complete', async () => {
                  let answer = await api('POST', '/api/upload/complete', { file_id: fileId, parts });
                  while (answer.upload_status === 'completing') {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    answer = await api('GET', `/api/upload/${fileId}`);
                  }
                  if (answer.upload_status !== 'uploaded') throw new Error('complete answered ' + JSON.stringify(answer));
                  return fileId;
                });
              };
              const init = (file, algorithm) => timed('init', () => api('POST', '/api/upload/init', { filename: file.name,
                file_type: 'application/octet-stream', file_size: file.size, author_name: 'bench',
                part_size: 16 * 1024 * 1024, ...(algorithm ? { checksum_algorithm: algorithm } : {}) }));
              const slice = (file, started, n) => file.slice((n - 1) * started.part_size, n * started.part_size);

              // Plain: every URL up front (init's batch, then refresh_urls for the rest), file slices as bodies.
              const plain = async (file) => {
                const started = await init(file, null);
                const urls = new Map(started.parts.map((part) => [part.part_number, part]));
                const missing = Array.from({ length: started.part_count }, (_, i) => i + 1).filter((n) => !urls.has(n));
                for (let i = 0; i < missing.length; i += 100) {
                  const signed = await api('POST', '/api/upload/refresh_urls', { file_id: started.file_id,
                    upload_token: started.upload_token, parts: missing.slice(i, i + 100).map((n) => ({ part_number: n })) });
                  signed.parts.forEach((part) => urls.set(part.part_number, part));
                }
                const etags = [];
                await timed('parts', () => inParallel(started.part_count, async (n) => { etags[n] = await put(urls.get(n), slice(file, started, n)); }));
                return complete(started.file_id, etags.map((etag, n) => ({ part_number: n, etag })).filter(Boolean));
              };

              // Checksum-bound: each part read and hashed, signed with its digest, then sent.
              const checksumBound = async (file) => {
                const started = await init(file, 'SHA256');
                const parts = [];
                await timed('parts', () => inParallel(started.part_count, async (n) => {
                  const bytes = await timed('read', () => slice(file, started, n).arrayBuffer());
                  const checksum = base64(await timed('hash', () => crypto.subtle.digest('SHA-256', bytes)));
                  const signed = await api('POST', '/api/upload/refresh_urls', { file_id: started.file_id,
                    upload_token: started.upload_token, parts: [{ part_number: n, checksum_sha256: checksum }] });
                  // The file slice again, not the buffer: in this Chromium a 16 MiB ArrayBuffer body costs about 100
                  // CPU-s per GiB in the renderer and browser processes (64 MiB tries: 8-13 s against 2 s), a
                  // Blob of the buffer more than the slice.
                  parts[n] = { part_number: n, etag: await put(signed.parts[0], slice(file, started, n)), checksum_sha256: checksum };
                }));
                return complete(started.file_id, parts.filter(Boolean));
              };

              performance.mark('freight:armed');
              const input = document.createElement('input');
              input.type = 'file';
              input.id = 'floor-input';
              document.body.append(input);
              window.freightFloor = new Promise((resolve, reject) => input.addEventListener('change',
                () => performance.measure('freight:until-chosen', 'freight:armed') && (sha256 ? checksumBound : plain)(input.files[0]).then(resolve, reject), { once: true }));
            }""";

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
