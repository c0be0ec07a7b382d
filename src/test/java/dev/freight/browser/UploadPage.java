package dev.freight.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.freight.upload.model.CompositeChecksum;

/** The upload page as a user sees it, plus the test files fed to it. */
final class UploadPage {

    static final int MIB = 1024 * 1024;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static {
        PlaywrightAssertions.setDefaultAssertionTimeout(90_000);
    }

    final Page page;

    UploadPage(Page page) {
        this.page = page;
    }

    UploadPage open(String url) {
        page.navigate(url);
        PlaywrightAssertions.assertThat(page.locator("body")).hasAttribute("data-ready", "true");
        return this;
    }

    void choose(Path file) {
        page.setInputFiles("#file-input", file);
    }

    Locator row(String filename) {
        return page.locator("li.upload", new Page.LocatorOptions().setHasText(filename));
    }

    void waitForState(String filename, String state) {
        PlaywrightAssertions.assertThat(row(filename)).hasAttribute("data-state", state);
    }

    Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name));
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** A file of random bytes (written in 1 MiB blocks, so big files need little heap). */
    static Path randomFile(Path dir, String name, long size, long seed) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Random random = new Random(seed);
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return file;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** S3's composite checksum of the file cut in parts: base64 SHA-256 of the part digests, "-", part count. */
    static String compositeSha256(Path file, int partSize) throws IOException {
        List<String> partDigests = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (byte[] part = in.readNBytes(partSize); part.length > 0; part = in.readNBytes(partSize)) {
                partDigests.add(Base64.getEncoder().encodeToString(digest().digest(part)));
            }
        }
        return CompositeChecksum.ofDigests(partDigests);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
