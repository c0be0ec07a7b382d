package dev.freight.client.internal;

import dev.freight.client.HttpTransport;
import dev.freight.client.StateStore;

/** What every upload and download of one {@code FreightClient} shares: the API, the wire, the state, the gate. */
public final class ClientContext {

    public final ServiceApi api;
    public final HttpTransport transport;
    public final StateStore stateStore;
    public final RetryLoop loop;
    public final PartScheduler scheduler;

    public ClientContext(ServiceApi api, HttpTransport transport, StateStore stateStore, RetryLoop loop,
            PartScheduler scheduler) {
        this.api = api;
        this.transport = transport;
        this.stateStore = stateStore;
        this.loop = loop;
        this.scheduler = scheduler;
    }
}
