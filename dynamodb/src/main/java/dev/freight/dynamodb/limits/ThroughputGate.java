package dev.freight.dynamodb.limits;

import java.util.List;

/** Decides whether a request may spend its capacity now; the engine asks before it changes or returns anything. */
public interface ThroughputGate {

    /**
     * Spends every charge, or none: throws {@link ThrottledException} without spending anything when any charge
     * would exceed a limit, so a throttled call changes nothing (as on AWS, a throttled request has no effect).
     */
    void charge(List<Charge> charges);

    /** A gate that never throttles (limits off). */
    static ThroughputGate unlimited() {
        return charges -> { };
    }
}
