package dev.freight.upload.service;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * The operators' view of events that ran out of attempts: listed most recent first, and replayed (pending again
 * with fresh attempts, due at once; the endpoints they were for are enabled again, since a replay says the
 * receiver is back).
 */
@ApplicationScoped
public class DeadLetters {

    /** Dead letters one listing or one "replay all" handles at most. */
    public static final int MAX_BATCH = 1000;

    private final EventOutbox outbox;
    private final Clock clock;

    DeadLetters(EventOutbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public List<OutboxEntry> list(int limit) {
        return outbox.deadLetters(Math.min(limit, MAX_BATCH));
    }

    /** Replays the listed dead letters, or all of them (up to a batch) when {@code keys} is null; how many. */
    public int replay(List<String> keys) {
        List<OutboxEntry> dead = outbox.deadLetters(MAX_BATCH);
        Set<String> wanted = keys == null ? null : new LinkedHashSet<>(keys);
        int replayed = 0;
        Set<String> endpoints = new LinkedHashSet<>();
        for (OutboxEntry entry : dead) {
            if (wanted != null && !wanted.contains(entry.key())) {
                continue;
            }
            endpoints.add(entry.endpoint());
        }
        endpoints.forEach(outbox::enable);
        for (OutboxEntry entry : dead) {
            if ((wanted == null || wanted.contains(entry.key())) && outbox.replay(entry.key(), clock.instant())) {
                replayed++;
            }
        }
        Log.infof("Replayed %d dead-lettered webhook deliveries (endpoints enabled again: %s)", replayed, endpoints);
        return replayed;
    }
}
