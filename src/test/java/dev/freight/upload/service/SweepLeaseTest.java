package dev.freight.upload.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.support.MutableClock;
import dev.freight.upload.model.SweepCursor;
import dev.freight.upload.storage.DynamoDbSweepLease;
import dev.freight.upload.storage.DynamoDbUploadRecords;
import dev.freight.upload.storage.S3MultipartStorage;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two sweepers, as on two instances, built by hand against the same DynamoDB table and S3 bucket (the emulators):
 * the lease is a conditional write, so one runs and the other skips; a holder that died loses the lease when it
 * runs out, and the next holder goes on from the cursor the dead one stored.
 */
@QuarkusTest
class SweepLeaseTest {

    private static final Duration LEASE = Duration.ofMinutes(15);

    @Inject
    S3MultipartStorage storage;

    @Inject
    DynamoDbSweepLease leases;

    @Inject
    DynamoDbUploadRecords records;

    @Inject
    Reconciler reconciler;

    @Inject
    FreightConfig config;

    @Inject
    DynamoDbClient dynamoDb;

    private final String leaseName = "test-" + UUID.randomUUID();
    private final MutableClock clock = new MutableClock(Instant.now());

    @Test
    void oneSweeperRunsAndTheOtherSkipsWhileTheLeaseIsHeld() {
        AbandonedUploadSweeper first = sweeper("instance-1");
        AbandonedUploadSweeper second = sweeper("instance-2");

        AbandonedUploadSweeper.Run ran = first.run();
        AbandonedUploadSweeper.Run skipped = second.run();

        assertThat(ran.ran()).isTrue();
        assertThat(ran.pages()).isPositive();
        assertThat(skipped.ran()).isFalse();
        assertThat(skipped.pages()).isZero();
        Map<String, AttributeValue> lease = leaseItem();
        assertThat(lease.get("lease_holder").s()).isEqualTo("instance-1");
        assertThat(Long.parseLong(lease.get("lease_until").n())).isEqualTo(clock.instant().plus(LEASE).toEpochMilli());
        // The holder renews its own lease; the other gets it only once it ran out.
        assertThat(first.run().ran()).isTrue();
        clock.advance(LEASE.minusSeconds(1));
        assertThat(second.run().ran()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(second.run().ran()).isTrue();
        assertThat(first.run().ran()).isFalse();
        assertThat(leaseItem().get("lease_holder").s()).isEqualTo("instance-2");
    }

    @Test
    void aDeadHoldersLeaseRunsOutAndTheNextHolderGoesOnFromItsCursor() {
        Instant now = clock.instant();
        SweepCursor reached = new SweepCursor("zz-after-every-freight-key", "upload-id-9");
        // instance-1 takes the lease, stores how far it got, and dies (SIGKILL: it never releases).
        assertThat(leases.acquire(leaseName, "instance-1", now, now.plus(LEASE))).contains(SweepCursor.START);
        assertThat(leases.advance(leaseName, "instance-1", reached, now.plus(LEASE))).isTrue();
        assertThat(leases.acquire(leaseName, "instance-2", now.plusSeconds(60), now.plus(LEASE))).isEmpty();
        assertThat(leases.advance(leaseName, "instance-2", SweepCursor.START, now.plus(LEASE))).isFalse();

        clock.advance(LEASE.plusSeconds(1));
        AbandonedUploadSweeper.Run takenOver = sweeper("instance-2").run();

        assertThat(takenOver.ran()).isTrue();
        assertThat(takenOver.resumedFrom()).isEqualTo(reached);
        // Past the last key there is nothing left: the walk went through and starts over next time.
        assertThat(takenOver.stoppedAt()).isEqualTo(SweepCursor.START);
        Map<String, AttributeValue> lease = leaseItem();
        assertThat(lease.get("lease_holder").s()).isEqualTo("instance-2");
        assertThat(lease).doesNotContainKeys("cursor_key_marker", "cursor_upload_id_marker");
        // The dead holder, were it to come back, has lost the lease: its writes are refused.
        assertThat(leases.advance(leaseName, "instance-1", reached, clock.instant().plus(LEASE))).isFalse();
        leases.release(leaseName, "instance-1", clock.instant());
        assertThat(leaseItem().get("lease_holder").s()).isEqualTo("instance-2");

        // A holder shutting down hands the lease over at once.
        sweeper("instance-2").onStop(null);
        assertThat(sweeper("instance-1").run().ran()).isTrue();
    }

    private AbandonedUploadSweeper sweeper(String holder) {
        return new AbandonedUploadSweeper(storage, records, leases, reconciler, clock, config,
                new AbandonedUploadSweeper.Limits(10, 100, LEASE), leaseName, holder);
    }

    private Map<String, AttributeValue> leaseItem() {
        return dynamoDb.getItem(get -> get.tableName(config.storage().table()).consistentRead(true)
                .key(Map.of("file_id", AttributeValue.fromS("lease#" + leaseName)))).item();
    }
}
