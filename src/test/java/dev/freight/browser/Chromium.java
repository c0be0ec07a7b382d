package dev.freight.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

/**
 * Debian's headless Chromium driven by Playwright, with a profile directory that outlives a browser: closing and
 * relaunching on the same directory keeps IndexedDB, as a user's browser restart does. Fails (never skips) when
 * Chromium is missing.
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of(System.getProperty("freight.chromium", "/usr/bin/chromium"));

    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final Path profile;

    Chromium() throws IOException {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("Chromium is missing at " + EXECUTABLE
                    + ": install it (apt-get install chromium) or set -Dfreight.chromium; .ci/run does");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        profile = Files.createTempDirectory("freight-chromium-profile");
    }

    /** Starts the browser on this instance's profile; close the context to close the browser. */
    BrowserContext launch() {
        return playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(ARGS)
                .setViewportSize(1000, 800)
                .setAcceptDownloads(true));
    }

    @Override
    public void close() {
        playwright.close();
    }
}
