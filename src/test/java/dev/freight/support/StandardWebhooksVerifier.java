package dev.freight.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The npm {@code standardwebhooks} package's {@code Webhook.verify} under Node (installed by the build's
 * {@code npm ci} into src/test/node): an independent verifier of the signatures Freight sends. One Node process per
 * batch of deliveries.
 */
public final class StandardWebhooksVerifier {

    /** One delivery to verify: the secret, the raw body, and the three {@code webhook-*} headers. */
    public record Delivery(String secret, String payload, Map<String, String> headers) {
    }

    /** The verifier's verdict: accepted, or its error message. */
    public record Verdict(boolean ok, String error) {
    }

    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    private StandardWebhooksVerifier() {
    }

    public static List<Verdict> verify(List<Delivery> deliveries) {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/standardwebhooks"))) {
            throw new IllegalStateException("src/test/node/node_modules lacks standardwebhooks: run the build without"
                    + " -Dskip.npm (or `npm ci` in src/test/node)");
        }
        try {
            Process node = new ProcessBuilder("node", "verify.js").directory(NODE_DIR.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            node.getOutputStream().write(JSON.writeValueAsBytes(deliveries));
            node.getOutputStream().close();
            String answer = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("node verify.js failed: " + answer);
            }
            return JSON.readValue(answer, new TypeReference<List<Verdict>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("Could not run node (CI and dev machines have it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
