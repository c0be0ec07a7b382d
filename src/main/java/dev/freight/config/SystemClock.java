package dev.freight.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The clock every rule reads time from: the system's, in UTC; tests build the rules with a clock of their own. */
class SystemClock {

    @Produces
    @Singleton
    static Clock clock() {
        return Clock.systemUTC();
    }
}
