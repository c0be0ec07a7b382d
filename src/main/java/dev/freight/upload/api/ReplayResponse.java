package dev.freight.upload.api;

/** Answer of the replay: how many dead letters are pending again. */
public record ReplayResponse(int replayed) {
}
