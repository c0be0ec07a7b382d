package dev.freight.cli;

import java.io.PrintWriter;
import java.util.Locale;

import dev.freight.client.Phase;
import dev.freight.client.Progress;
import dev.freight.client.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows one transfer's progress: a progress bar (rate, ETA, parts in flight, overall share) on a terminal, plain
 * lines at most once a second otherwise, nothing when quiet. Overall counts every file of the command.
 */
final class ProgressView implements ProgressListener, AutoCloseable {

    enum Mode { BAR, LINES, NONE }

    private final Mode mode;
    private final PrintWriter err;
    private final String verb;
    private final String label;
    private final long overallTotal;
    private final long overallBefore;
    private final String position;
    private ProgressBar bar;
    private long lastLine;
    private int lastPercent = -1;

    ProgressView(Mode mode, PrintWriter err, String verb, String label, long overallTotal, long overallBefore,
            String position) {
        this.mode = mode;
        this.err = err;
        this.verb = verb;
        this.label = label;
        this.overallTotal = overallTotal;
        this.overallBefore = overallBefore;
        this.position = position;
    }

    static Mode defaultMode(boolean quiet) {
        if (quiet) {
            return Mode.NONE;
        }
        return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? Mode.BAR : Mode.LINES;
    }

    @Override
    public synchronized void onProgress(Progress progress) {
        if (mode == Mode.BAR) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(progress.totalBytes())
                        .setUnit(" MiB", 1024 * 1024).showSpeed().setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setUpdateIntervalMillis(200).continuousUpdate().build();
            }
            bar.stepTo(Math.max(0, progress.bytesTransferred()));
            // Short: the bar shrinks to what the terminal's width leaves.
            bar.setExtraMessage(String.format(Locale.ROOT, " %d in flight%s", progress.partsInFlight(),
                    position.isEmpty() ? "" : ", all " + overallPercent(progress) + "%"));
        } else if (mode == Mode.LINES) {
            long now = System.currentTimeMillis();
            int percent = (int) (progress.fraction() * 100);
            if (now - lastLine < 1000 && percent != 100 || percent == lastPercent && now - lastLine < 5000) {
                return;
            }
            lastLine = now;
            lastPercent = percent;
            err.println(String.format(Locale.ROOT, "%s %s: %d%% (%s of %s), %s/s, ETA %s, %d parts on the wire; %s "
                    + "overall %d%%", verb, label, percent, Sizes.human(Math.max(0, progress.bytesTransferred())),
                    Sizes.human(progress.totalBytes()), Sizes.human(progress.bytesPerSecond()),
                    Sizes.duration(progress.etaSeconds()), progress.partsInFlight(), position,
                    overallPercent(progress)));
        }
    }

    @Override
    public synchronized void onPhase(Phase phase, Progress progress) {
        if (mode == Mode.LINES && (phase == Phase.COMPLETING || phase == Phase.RETRYING)) {
            err.println(verb + " " + label + ": " + phase.name().toLowerCase(Locale.ROOT));
        }
    }

    private int overallPercent(Progress progress) {
        if (overallTotal <= 0) {
            return 100;
        }
        return (int) ((overallBefore + Math.max(0, progress.bytesTransferred())) * 100 / overallTotal);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
