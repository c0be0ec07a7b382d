package dev.freight.dynamodb.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void offByDefaultWithAwsFigures() {
        Limits limits = Limits.fromProperties(new Properties());
        assertThat(limits).isEqualTo(Limits.OFF);
        assertThat(limits.enabled()).isFalse();
        assertThat(limits.partitionWriteUnits()).isEqualTo(1_000);
        assertThat(limits.partitionReadUnits()).isEqualTo(3_000);
        assertThat(limits.tableWriteUnits()).isEqualTo(40_000);
        assertThat(limits.provisionedBurstSeconds()).isEqualTo(300);
    }

    @Test
    void readsEveryKey() {
        Properties properties = new Properties();
        properties.setProperty("freight.dynamodb.limits.enabled", "true");
        properties.setProperty("freight.dynamodb.limits.scale-factor", "400");
        properties.setProperty("freight.dynamodb.limits.partition-read-units", "3000");
        properties.setProperty("freight.dynamodb.limits.partition-write-units", "1000");
        properties.setProperty("freight.dynamodb.limits.table-read-units", "80000");
        properties.setProperty("freight.dynamodb.limits.table-write-units", "60000");
        properties.setProperty("freight.dynamodb.limits.burst-seconds", "2");
        properties.setProperty("freight.dynamodb.limits.provisioned-burst-seconds", "100");
        properties.setProperty("freight.dynamodb.limits.transaction-hold-ms", "50");
        properties.setProperty("freight.dynamodb.limits.region", "eu-west-1");
        properties.setProperty("freight.dynamodb.limits.account-id", "123456789012");

        Limits limits = Limits.fromProperties(properties);

        assertThat(limits).isEqualTo(new Limits(true, 400, 3000, 1000, 80000, 60000, 2, 100, Duration.ofMillis(50),
                "eu-west-1", "123456789012"));
        assertThat(limits.scaledPartitionWriteUnits()).isEqualTo(2.5);
        assertThat(limits.scaledTableWriteUnits()).isEqualTo(150);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Limits.fromMap(Map.of("freight.dynamodb.limits.scale-factor", "fast")))
                .hasMessageContaining("freight.dynamodb.limits.scale-factor must be a number");
        assertThatThrownBy(() -> Limits.builder().scaleFactor(0).build()).hasMessageContaining("scale factor");
        assertThatThrownBy(() -> Limits.builder().tableWriteUnits(-1).build()).hasMessageContaining("rate");
    }
}
