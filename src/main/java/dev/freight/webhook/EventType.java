package dev.freight.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The events Freight sends, one per upload state change, by their wire names. */
public enum EventType {
    CREATED("upload.created"),
    COMPLETED("upload.completed"),
    FAILED("upload.failed"),
    ABORTED("upload.aborted");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
