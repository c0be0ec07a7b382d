package dev.freight.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;

/**
 * POSTs one signed message (Standard Webhooks headers {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature}, signed anew per attempt since the timestamp is the attempt's) with a hard timeout,
 * never following redirects. The only class that opens connections to receivers.
 */
@ApplicationScoped
public class WebhookSender {

    /** The most of an answer's body read (the pre-create hook's answer); webhook answers are not read at all. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** What a receiver answered: its status and (for the hook) up to 64 KiB of its body. */
    public record Answer(int status, String body) {
    }

    private final HttpClient http;
    private final Clock clock;

    @Inject
    WebhookSender(FreightConfig config, Clock clock) {
        this(config.webhooks().timeout(), clock);
    }

    public WebhookSender(Duration connectTimeout, Clock clock) {
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Delivers an event; its answer's body is not read. */
    public DeliveryOutcome deliver(URI url, String id, String body, WebhookSigner signer, Duration timeout) {
        try {
            HttpResponse<Void> response = http.send(request(url, id, body, signer, timeout),
                    HttpResponse.BodyHandlers.discarding());
            return DeliveryOutcome.ofStatus(response.statusCode());
        } catch (HttpTimeoutException slow) {
            return DeliveryOutcome.noAnswer("no answer within " + timeout.toSeconds() + " s");
        } catch (IOException broken) {
            return DeliveryOutcome.noAnswer("connection failed: " + broken.getClass().getSimpleName());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.noAnswer("interrupted (shutdown)");
        }
    }

    /**
     * Sends a message and reads the answer (at most {@value #MAX_ANSWER_BYTES} bytes of it).
     *
     * @throws IOException when nothing usable came back in time
     */
    public Answer exchange(URI url, String id, String body, WebhookSigner signer, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request(url, id, body, signer, timeout),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] read = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (read.length > MAX_ANSWER_BYTES) {
                throw new IOException("answer longer than " + MAX_ANSWER_BYTES + " bytes");
            }
            return new Answer(response.statusCode(), new String(read, StandardCharsets.UTF_8));
        }
    }

    private HttpRequest request(URI url, String id, String body, WebhookSigner signer, Duration timeout) {
        long timestamp = clock.instant().getEpochSecond();
        return HttpRequest.newBuilder(url).timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "Freight-Webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signer.sign(id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }
}
