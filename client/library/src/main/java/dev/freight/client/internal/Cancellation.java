package dev.freight.client.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A transfer's stop signal: a flag every step checks, a sleep it wakes, and the calls on the wire it cancels
 * ({@code Call.cancel} hooked on by the OkHttp transport).
 */
public final class Cancellation {

    private volatile boolean cancelled;
    private final Set<Runnable> onCancel = new LinkedHashSet<>();

    public void cancel() {
        List<Runnable> hooks;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            notifyAll();
            hooks = new ArrayList<>(onCancel);
            onCancel.clear();
        }
        for (Runnable hook : hooks) {
            hook.run();
        }
    }

    public boolean cancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    /** Runs {@code hook} on cancel (at once when cancelled already); the answer removes it again. */
    public Runnable onCancel(Runnable hook) {
        // A distinct object per registration, so the same hook registered twice is removed once each.
        Runnable registered = hook::run;
        synchronized (this) {
            if (!cancelled) {
                onCancel.add(registered);
                return () -> {
                    synchronized (this) {
                        onCancel.remove(registered);
                    }
                };
            }
        }
        hook.run();
        return () -> { };
    }

    /** Sleeps up to {@code millis}; false when woken by a cancel or an interrupt. */
    public boolean sleep(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (this) {
            while (!cancelled) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                try {
                    wait(left);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
