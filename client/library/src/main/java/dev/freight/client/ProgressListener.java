package dev.freight.client;

/**
 * Told about a transfer's progress (at most every {@code progressInterval} and on every part event) and every
 * phase change. Called from the library's worker threads: keep it quick, post to the UI thread yourself.
 */
public interface ProgressListener {

    void onProgress(Progress progress);

    default void onPhase(Phase phase, Progress progress) {
    }

    ProgressListener NONE = progress -> {
    };
}
