package dev.freight.upload.storage;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.freight.config.FreightConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the bucket and the table at start-up when {@code freight.storage.provision} asks for it, and backfills
 * the owner index's sort key when {@code freight.storage.backfill-listing} does (the deadline index's keys when
 * {@code freight.storage.backfill-deadlines} does; the TTL off records holding quota when
 * {@code freight.storage.backfill-quota-ttl} does).
 */
@ApplicationScoped
public class StorageProvisioner {

    /** Runs after the embedded backends (priority 10) have started. */
    static final int PRIORITY = 100;

    void onStart(@Observes @Priority(PRIORITY) StartupEvent start, FreightConfig config, S3MultipartStorage s3,
            MetadataTable table, MetadataMigrations migrations) {
        if (config.storage().provision()) {
            s3.createBucketIfMissing();
            table.createTableIfMissing();
        }
        if (config.storage().backfillListing()) {
            migrations.backfillListingKeys();
        }
        if (config.storage().backfillDeadlines()) {
            migrations.backfillDeadlineKeys();
        }
        if (config.storage().backfillQuotaTtl()) {
            migrations.backfillQuotaTtl();
        }
        if (config.storage().backfillQuotaShards()) {
            migrations.backfillQuotaShards();
        }
    }
}
