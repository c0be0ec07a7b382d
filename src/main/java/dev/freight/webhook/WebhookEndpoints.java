package dev.freight.webhook;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.Startup;

import dev.freight.config.FreightConfig;

/**
 * The configured webhook receivers: each one's URL, signer and the event types it wants. Built at start-up, which
 * it refuses (naming every problem) for a URL without a secret, a secret the specification does not allow, a URL
 * that is not http(s), or an unknown event type.
 */
@ApplicationScoped
@Startup
public class WebhookEndpoints {

    /** An endpoint's name becomes part of stored keys: kept to a small safe alphabet. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * Each event's deliveries (one per endpoint) join the DynamoDB transaction of its state change, which holds at
     * most 100 items (AWS: "TransactWriteItems is a synchronous write operation that groups up to 100 action
     * requests", DynamoDB API reference, docs.aws.amazon.com/amazondynamodb/latest/APIReference/
     * API_TransactWriteItems.html): the record's own items leave room for this many endpoints.
     */
    static final int MAX_ENDPOINTS = 25;

    /** One receiver. */
    public record Endpoint(String name, URI url, WebhookSigner signer, Set<EventType> eventTypes) {

        public boolean wants(EventType type) {
            return eventTypes.contains(type);
        }
    }

    private final Map<String, Endpoint> byName;

    @Inject
    WebhookEndpoints(FreightConfig config) {
        this(config.webhooks().endpoints());
    }

    WebhookEndpoints(Map<String, FreightConfig.Endpoint> configured) {
        List<String> problems = new ArrayList<>();
        TreeMap<String, Endpoint> endpoints = new TreeMap<>();
        if (configured.size() > MAX_ENDPOINTS) {
            problems.add("freight.webhooks.endpoints names " + configured.size() + " endpoints, at most "
                    + MAX_ENDPOINTS);
        }
        configured.forEach((name, settings) -> endpoint(name, settings, problems).ifPresent(
                endpoint -> endpoints.put(name, endpoint)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid webhook configuration: " + String.join("; ", problems));
        }
        this.byName = java.util.Collections.unmodifiableSortedMap(endpoints);
    }

    /** A test's or a tool's own set of receivers. */
    public static WebhookEndpoints of(Map<String, FreightConfig.Endpoint> configured) {
        return new WebhookEndpoints(configured);
    }

    /** The names of the receivers that want {@code type}, in name order. */
    public List<String> subscribers(EventType type) {
        return byName.values().stream().filter(endpoint -> endpoint.wants(type)).map(Endpoint::name).toList();
    }

    public Optional<Endpoint> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean any() {
        return !byName.isEmpty();
    }

    private static Optional<Endpoint> endpoint(String name, FreightConfig.Endpoint settings, List<String> problems) {
        String key = "freight.webhooks.endpoints." + name;
        int before = problems.size();
        if (!NAME.matcher(name).matches()) {
            problems.add(key + ": a name is lower-case letters, digits and '-'");
        }
        URI url = null;
        try {
            url = URI.create(settings.url().trim());
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                problems.add(key + ".url must be an http(s) URL");
            }
        } catch (IllegalArgumentException notAUri) {
            problems.add(key + ".url is not a URL");
        }
        WebhookSigner signer = null;
        List<String> secrets = settings.secrets().orElse(List.of()).stream().filter(secret -> !secret.isBlank())
                .toList();
        if (secrets.isEmpty()) {
            problems.add(key + ".secrets is not set: every endpoint needs a whsec_ secret (base64, 24+ random bytes,"
                    + " e.g. `echo whsec_$(openssl rand -base64 32)`)");
        } else {
            try {
                signer = new WebhookSigner(secrets);
            } catch (IllegalArgumentException badSecret) {
                problems.add(key + ".secrets: " + badSecret.getMessage());
            }
        }
        Set<EventType> types = Set.of(EventType.values());
        if (settings.eventTypes().isPresent()) {
            List<String> unknown = settings.eventTypes().get().stream()
                    .filter(type -> EventType.fromWire(type.trim()).isEmpty()).toList();
            if (!unknown.isEmpty()) {
                problems.add(key + ".event-types names unknown types " + unknown);
            }
            types = settings.eventTypes().get().stream().map(type -> EventType.fromWire(type.trim()))
                    .flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
        }
        return problems.size() == before ? Optional.of(new Endpoint(name, url, signer, types)) : Optional.empty();
    }
}
