package dev.freight.dynamodb.limits;

import java.util.List;

/** Decides whether a request may spend its capacity now; the engine asks before it changes or returns anything. */
public interface ThroughputGate {

    /**
     * Spends every charge, or none: throws {@link ThrottledException} without spending anything when any charge
     * would exceed a limit, so a throttled call changes nothing (as on AWS, a throttled request has no effect).
     */
    void charge(List<Charge> charges);

    /**
     * The table (index null) or index was created or updated: provisioned with these units a second, or on-demand
     * when both are null. A provisioned table answers ProvisionedThroughputExceededException and keeps unused capacity.
     */
    default void capacity(String table, String index, Double readUnits, Double writeUnits) {
    }

    /** The table was deleted: its capacity and buckets go with it. */
    default void forget(String table) {
    }

    /** A gate that never throttles (limits off). */
    static ThroughputGate unlimited() {
        return charges -> { };
    }
}
