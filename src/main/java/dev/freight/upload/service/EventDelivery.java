package dev.freight.upload.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.freight.config.FreightConfig;
import dev.freight.upload.model.SweepCursor;
import dev.freight.webhook.DeliveryOutcome;
import dev.freight.webhook.EventType;
import dev.freight.webhook.RetrySchedule;
import dev.freight.webhook.WebhookEndpoints;
import dev.freight.webhook.WebhookMetrics;
import dev.freight.webhook.WebhookSender;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers the outbox's events: the instance that wrote an event tries it at once on its own bounded pool (never on
 * the request's thread; a full queue leaves the event to the lease holder), and one instance at a time, holding a
 * lease as the sweeper does, takes what is due: retries, and what a dead instance or a full queue left. One upload's
 * events go to one endpoint in the order they were written; each attempt is claimed first, so two senders never
 * make the same attempt, and a sender that dies loses its claim when it runs out. At least once: a receiver may see
 * an event again (the same {@code webhook-id}) when its 2xx was lost.
 */
@ApplicationScoped
public class EventDelivery {

    static final String LEASE = "webhook-delivery";
    /** Deliveries one pass reads at once; a full batch means a backlog, and the pass reads on. */
    static final int BATCH = 100;

    private final EventOutbox outbox;
    private final WebhookEndpoints endpoints;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final WebhookMetrics metrics;
    private final SweepLease lease;
    private final Clock clock;
    private final Duration timeout;
    private final Duration claim;
    private final Duration pollInterval;
    private final ThreadPoolExecutor senders;
    private final String holder = UUID.randomUUID().toString();

    @Inject
    EventDelivery(EventOutbox outbox, WebhookEndpoints endpoints, WebhookSender sender, RetrySchedule schedule,
            WebhookMetrics metrics, SweepLease lease, Clock clock, FreightConfig config) {
        this.outbox = outbox;
        this.endpoints = endpoints;
        this.sender = sender;
        this.schedule = schedule;
        this.metrics = metrics;
        this.lease = lease;
        this.clock = clock;
        FreightConfig.Webhooks settings = config.webhooks();
        this.timeout = settings.timeout();
        this.claim = settings.claim().compareTo(settings.timeout().multipliedBy(2)) < 0
                ? settings.timeout().multipliedBy(2) : settings.claim();
        this.pollInterval = AbandonedUploadSweeper.interval(settings.pollInterval());
        AtomicInteger threads = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(settings.senders(), settings.senders(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueSize()), work -> {
                    Thread thread = new Thread(work, "webhook-sender-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        senders.allowCoreThreadTimeOut(true);
    }

    /** How long the writer holds a new event for its own first attempt. */
    public Duration claim() {
        return claim;
    }

    /**
     * Tries the just-written deliveries at once, off the caller's thread; when the queue is full they wait for the
     * lease holder (their claim runs out). Never blocks and never throws.
     */
    public void soon(List<OutboxEntry> written) {
        for (OutboxEntry entry : written) {
            try {
                senders.execute(() -> attemptQuietly(entry));
            } catch (RejectedExecutionException full) {
                Log.debugf("Webhook queue full: %s waits for the delivery pass", entry.eventId());
            }
        }
    }

    @Scheduled(every = "${freight.webhooks.poll-interval}", delayed = "${freight.webhooks.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverOnSchedule() {
        if (!endpoints.any()) {
            return;
        }
        try {
            deliverDue();
        } catch (RuntimeException storageTrouble) {
            Log.warnf("Webhook delivery pass stopped: %s", storageTrouble.toString());
        }
    }

    /**
     * One pass, if this instance gets the lease: everything due, a batch at a time, one upload's deliveries in
     * order on one sender, uploads in parallel; answers how many deliveries it attempted.
     */
    public int deliverDue() {
        Instant started = clock.instant();
        Duration leaseFor = pollInterval.plus(claim);
        if (lease.acquire(LEASE, holder, started, started.plus(leaseFor)).isEmpty()) {
            return 0;
        }
        int attempted = 0;
        while (true) {
            List<OutboxEntry> due = outbox.due(clock.instant(), BATCH);
            List<Future<Integer>> running = new ArrayList<>();
            for (List<OutboxEntry> inOrder : byUploadAndEndpoint(due)) {
                try {
                    running.add(senders.submit(() -> attemptInOrder(inOrder)));
                } catch (RejectedExecutionException full) {
                    break; // the rest stays due for the next pass
                }
            }
            for (Future<Integer> done : running) {
                try {
                    attempted += done.get();
                } catch (Exception failed) {
                    Log.debugf("Webhook delivery failed: %s", failed.getClass().getSimpleName());
                }
            }
            boolean held = lease.advance(LEASE, holder, SweepCursor.START, clock.instant().plus(leaseFor));
            // A full batch is a backlog: read on at once, so throughput grows with it (within the lease).
            if (!held || due.size() < BATCH || running.isEmpty()) {
                break;
            }
        }
        // Hold the lease until the next pass, so only this instance polls.
        lease.advance(LEASE, holder, SweepCursor.START, started.plus(pollInterval.multipliedBy(2)));
        return attempted;
    }

    private static List<List<OutboxEntry>> byUploadAndEndpoint(List<OutboxEntry> due) {
        Map<String, List<OutboxEntry>> groups = new LinkedHashMap<>();
        for (OutboxEntry entry : due) {
            groups.computeIfAbsent(entry.fileId() + "#" + entry.endpoint(), ignored -> new ArrayList<>()).add(entry);
        }
        groups.values().forEach(group -> group.sort(Comparator.comparingLong(OutboxEntry::sequence)));
        return new ArrayList<>(groups.values());
    }

    /** One upload's due deliveries to one endpoint, earliest event first; stops at the first not delivered. */
    private int attemptInOrder(List<OutboxEntry> inOrder) {
        int attempted = 0;
        for (OutboxEntry entry : inOrder) {
            Instant now = clock.instant();
            if (!outbox.claim(entry, now.plus(claim))) {
                continue; // another sender has it
            }
            attempted++;
            if (!attempt(entry.dueAt(now.plus(claim)))) {
                break;
            }
        }
        return attempted;
    }

    private void attemptQuietly(OutboxEntry entry) {
        try {
            attempt(entry);
        } catch (RuntimeException storageTrouble) {
            // The claim runs out and the lease holder tries again.
            Log.debugf("Webhook %s not settled: %s", entry.eventId(), storageTrouble.toString());
        }
    }

    /** One claimed attempt and what follows from its outcome; whether the receiver took the event. */
    boolean attempt(OutboxEntry entry) {
        EventType type = EventType.fromWire(entry.type()).orElseThrow();
        Optional<WebhookEndpoints.Endpoint> endpoint = endpoints.named(entry.endpoint());
        Instant now = clock.instant();
        if (endpoint.isEmpty()) {
            giveUp(entry, type, entry.attempts(), "endpoint " + entry.endpoint() + " is no longer configured");
            return false;
        }
        String url = endpoint.get().url().toString();
        if (outbox.disabled(entry.endpoint(), url)) {
            giveUp(entry, type, entry.attempts(), "endpoint disabled: it answered 410 Gone");
            return false;
        }
        if (outbox.waitsForEarlier(entry)) {
            // Not an attempt: it goes once the upload's earlier event is delivered (or given up).
            outbox.retryAt(entry, entry.attempts(), now.plus(pollInterval), entry.lastError());
            return false;
        }
        DeliveryOutcome outcome = sender.deliver(endpoint.get().url(), entry.eventId(), entry.body(),
                endpoint.get().signer(), timeout);
        int attempts = entry.attempts() + 1;
        switch (outcome.kind()) {
            case DELIVERED -> {
                outbox.delivered(entry);
                metrics.delivered(type, Duration.between(entry.createdAt(), clock.instant()));
                return true;
            }
            case GONE -> {
                // The Standard Webhooks specification: 410 says the receiver wants no more: the endpoint is disabled.
                Log.warnf("Webhook endpoint %s answered 410 Gone: disabled until its dead letters are replayed",
                        entry.endpoint());
                outbox.disable(entry.endpoint(), url, clock.instant());
                giveUp(entry, type, attempts, outcome.detail());
                return false;
            }
            default -> {
                Optional<Duration> wait = schedule.waitAfter(attempts);
                if (wait.isEmpty()) {
                    giveUp(entry, type, attempts, outcome.detail());
                } else {
                    metrics.retried(type);
                    outbox.retryAt(entry, attempts, clock.instant().plus(wait.get()), outcome.detail());
                }
                return false;
            }
        }
    }

    private void giveUp(OutboxEntry entry, EventType type, int attempts, String why) {
        Log.warnf("Webhook %s (%s) to %s dead-lettered after %d attempt(s): %s", entry.eventId(), entry.type(),
                entry.endpoint(), attempts, why);
        outbox.deadLetter(entry, attempts, clock.instant(), why);
        metrics.deadLettered(type);
    }

    void onStop(@Observes ShutdownEvent stop) {
        try {
            lease.release(LEASE, holder, clock.instant());
        } catch (RuntimeException storageGone) {
            Log.debugf("Webhook lease not released at shutdown: %s", storageGone.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void stopSenders() {
        senders.shutdownNow();
    }
}
