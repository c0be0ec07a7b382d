package dev.freight.health;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

import dev.freight.config.FreightConfig;
import dev.freight.upload.storage.MetadataTable;
import dev.freight.upload.storage.S3MultipartStorage;
import io.quarkus.runtime.StartupEvent;

/**
 * Readiness: the instance can serve when its S3 bucket and DynamoDB table answer. Each is its own named check
 * ({@value #S3_CHECK}, {@value #DYNAMODB_CHECK}) bounded by {@code freight.health.storage-timeout}, so an outage
 * turns readiness DOWN quickly while liveness stays UP. Throttling keeps it UP (data {@code throttled: true}).
 */
@ApplicationScoped
public class StorageReadiness {

    public static final String S3_CHECK = "s3-bucket";
    public static final String DYNAMODB_CHECK = "dynamodb-table";

    private final Duration timeout;
    private final boolean warmUp;
    private final String bucket;
    private final String table;
    // Two daemon threads at most: one per check (see BoundedProbe).
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "freight-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private final BoundedProbe bucketProbe;
    private final BoundedProbe tableProbe;

    StorageReadiness(S3MultipartStorage storage, MetadataTable metadata, FreightConfig config, HealthConfig health) {
        this.timeout = health.storageTimeout();
        this.warmUp = health.warmUp();
        this.bucket = config.storage().bucket();
        this.table = config.storage().table();
        this.bucketProbe = new BoundedProbe(S3_CHECK, storage::checkBucket, executor);
        this.tableProbe = new BoundedProbe(DYNAMODB_CHECK, metadata::checkTable, executor);
    }

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck bucketCheck() {
        return () -> bucketProbe.probe(timeout, "bucket", bucket);
    }

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck tableCheck() {
        return () -> tableProbe.probe(timeout, "table", table);
    }

    /**
     * Runs both checks once as the app starts, beside the rest of the start-up: their first run builds the S3 and
     * DynamoDB clients and makes their first calls (~40 % of start-up's CPU after the main thread's, in a profile),
     * which the first readiness probe, after the HTTP server opened, would otherwise wait for.
     */
    void warmUp(@Observes @Priority(0) StartupEvent start) {
        if (warmUp) {
            bucketProbe.start();
            tableProbe.start();
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
