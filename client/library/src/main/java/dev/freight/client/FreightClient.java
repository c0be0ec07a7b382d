package dev.freight.client;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

import okhttp3.OkHttpClient;

import dev.freight.client.internal.Cancellation;
import dev.freight.client.internal.ClientContext;
import dev.freight.client.internal.Downloader;
import dev.freight.client.internal.PartScheduler;
import dev.freight.client.internal.RetryLoop;
import dev.freight.client.internal.ServiceApi;
import dev.freight.client.internal.TokenAuthenticator;

/**
 * Uploads to and downloads from a Freight service: parallel, resumable after the process was killed, every part
 * bound to its SHA-256. Thread-safe; make one per server and share it.
 *
 * <pre>{@code
 * FreightClient freight = FreightClient.builder("https://freight.example.com")
 *         .tokenSupplier(() -> auth.currentAccessToken())
 *         .stateStore(new FileStateStore(new File(context.getFilesDir(), "freight")))
 *         .build();
 * UploadResult done = freight.upload(new FileSource(file), UploadOptions.defaults().parallelism(4));
 * }</pre>
 */
public final class FreightClient {

    /** Transfers on the wire at once across all uploads and downloads of a client, unless set. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;

    private final ServiceApi api;
    private final StateStore stateStore;
    private final ClientContext context;

    private FreightClient(Builder builder) {
        HttpTransport transport = builder.transport;
        boolean transportReauthorizes = false;
        if (transport == null) {
            // OkHttp's Authenticator answers the service's 401s on the library's own derived client.
            OkHttpTransport okHttp = new OkHttpTransport(builder.okHttpClient != null ? builder.okHttpClient
                    : OkHttpTransport.defaultClient(), builder.tokenSupplier == null ? null
                    : new TokenAuthenticator(builder.tokenSupplier));
            transport = okHttp;
            transportReauthorizes = okHttp.answersAuthChallenges();
        }
        this.stateStore = builder.stateStore != null ? builder.stateStore
                : new FileStateStore(new File(System.getProperty("user.home", "."), ".freight/uploads"));
        PartScheduler scheduler = new PartScheduler(builder.maxConnections);
        RetryLoop loop = new RetryLoop(builder.retryPolicy, scheduler);
        this.api = new ServiceApi(builder.server, transport, builder.tokenSupplier, transportReauthorizes, loop);
        this.context = new ClientContext(api, transport, stateStore, loop, scheduler);
    }

    public static Builder builder(String server) {
        return new Builder(server);
    }

    /** Starts a new upload on background threads. */
    public UploadTask startUpload(UploadSource source, UploadOptions options) {
        UploadTask task = new UploadTask(context, source, options, false, null);
        task.start();
        return task;
    }

    /**
     * Continues the upload of {@code source}: from the local state when there is one (its source key, or name, size
     * and fingerprint match), else from the caller's unfinished uploads on the service whose name, size,
     * modification time and fingerprint match. Sends only the parts storage lacks.
     */
    public UploadTask startResume(UploadSource source, UploadOptions options) {
        return startResume(source, null, options);
    }

    /** Continues upload {@code fileId} with {@code source} (refused when the source is not the upload's file). */
    public UploadTask startResume(UploadSource source, String fileId, UploadOptions options) {
        UploadTask task = new UploadTask(context, source, options, true, fileId);
        task.start();
        return task;
    }

    /** Uploads and waits; see {@link #startUpload}. */
    public UploadResult upload(UploadSource source, UploadOptions options) throws IOException {
        return startUpload(source, options).await();
    }

    /** Resumes and waits; see {@link #startResume(UploadSource, UploadOptions)}. */
    public UploadResult resume(UploadSource source, UploadOptions options) throws IOException {
        return startResume(source, options).await();
    }

    /** Uploads this device started on this server and has not finished (from the state store). */
    public List<UploadState> pendingUploads() throws IOException {
        List<UploadState> pending = new java.util.ArrayList<>();
        for (UploadState state : stateStore.list()) {
            if (api.server().equals(state.server())) {
                pending.add(state);
            }
        }
        return pending;
    }

    public RemoteUpload status(String fileId) throws IOException {
        return api.status(fileId, new Cancellation());
    }

    /** The caller's uploads, newest first; any argument may be null. */
    public UploadPage list(String authorName, String uploadStatus, Integer limit, String nextToken) throws IOException {
        return api.list(authorName, uploadStatus, limit, nextToken, new Cancellation());
    }

    /** Gives upload {@code fileId} up: storage deletes its parts; the local state goes too. */
    public void abort(String fileId) throws IOException {
        api.abort(fileId, new Cancellation());
        stateStore.delete(fileId);
    }

    /** Downloads file {@code fileId} into {@code target}, verified by parts; see {@link DownloadTask}. */
    public DownloadResult download(String fileId, File target, DownloadOptions options) throws IOException {
        return startDownload(fileId, target, options).await();
    }

    public DownloadTask startDownload(String fileId, File target, DownloadOptions options) {
        DownloadTask task = new DownloadTask(new Downloader(context, fileId, target, options, new Cancellation()));
        task.start();
        return task;
    }

    public String server() {
        return api.server();
    }

    public StateStore stateStore() {
        return stateStore;
    }

    /** Transfers this client puts on the wire at once, across all its uploads and downloads. */
    public int maxConnections() {
        return context.scheduler.maxConnections();
    }

    /** Settings for a {@link FreightClient}; only the server is required. */
    public static final class Builder {
        private final String server;
        private HttpTransport transport;
        private OkHttpClient okHttpClient;
        private TokenSupplier tokenSupplier;
        private StateStore stateStore;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private Builder(String server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        /** Any HTTP stack, for the service and storage alike. */
        public Builder transport(HttpTransport httpTransport) {
            this.transport = httpTransport;
            return this;
        }

        /**
         * The app's own OkHttpClient (shares its pool, interceptors and pinning); the library derives its own
         * client from it ({@code newBuilder()}) and leaves the app's as it came.
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.okHttpClient = client;
            return this;
        }

        /** Called before every service request for the bearer token. */
        public Builder tokenSupplier(TokenSupplier supplier) {
            this.tokenSupplier = supplier;
            return this;
        }

        /** Where resume state lives (default: JSON files in {@code ~/.freight/uploads}; on Android pass a directory). */
        public Builder stateStore(StateStore store) {
            this.stateStore = store;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Part transfers on the wire at once across every upload and download of the client (default
         * {@value FreightClient#DEFAULT_MAX_CONNECTIONS}); each task's {@code parallelism} shares them. A 429 or
         * 503 pauses all of them.
         */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            this.maxConnections = connections;
            return this;
        }

        public FreightClient build() {
            return new FreightClient(this);
        }
    }
}
