package dev.freight.dynamodb.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * The engine's copy of AWS's throughput limits and transaction holds, divided by a scale factor so one small
 * machine can reach them. Off by default: {@link #OFF}.
 *
 * <p>AWS's figures (per-table quotas and per-partition maximums):
 * "Each partition on the table can serve up to 3,000 read request units or 1,000 write request units, or a linear
 * combination of both" (https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb); the default
 * per-table quota of an on-demand table is 40,000 read and 40,000 write request units
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#default-limits-throughput).
 *
 * @param enabled              whether any limit applies; when false the gate and the holds are no-ops
 * @param scaleFactor          every rate below is divided by it (400 makes 2.5 writes a second per key value)
 * @param partitionReadUnits   read units a second one partition key value serves (AWS: 3,000)
 * @param partitionWriteUnits  write units a second one partition key value serves (AWS: 1,000)
 * @param tableReadUnits       read units a second of one table or index in on-demand mode (AWS default quota: 40,000)
 * @param tableWriteUnits      write units a second of one table or index in on-demand mode (AWS default quota: 40,000)
 * @param burstSeconds         unused capacity a bucket keeps, in seconds of its rate (on-demand and partitions)
 * @param provisionedBurstSeconds unused capacity kept by a provisioned table: AWS keeps up to 300 seconds
 *                             ("DynamoDB currently retains up to five minutes (300 seconds) of unused read and write
 *                             capacity", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html)
 * @param transactionHold      how long a transaction holds its items (not scaled: real time; issue 28 measured 15-50 ms)
 * @param region               region written into the resource ARNs of throttling reasons
 * @param accountId            account written into the resource ARNs of throttling reasons
 */
public record Limits(boolean enabled, double scaleFactor, double partitionReadUnits, double partitionWriteUnits,
                     double tableReadUnits, double tableWriteUnits, double burstSeconds,
                     double provisionedBurstSeconds, Duration transactionHold, String region, String accountId) {

    /** Prefix of the configuration keys, as system properties or in a properties file. */
    public static final String PREFIX = "freight.dynamodb.limits.";

    public static final double AWS_PARTITION_READ_UNITS = 3_000;
    public static final double AWS_PARTITION_WRITE_UNITS = 1_000;
    public static final double AWS_TABLE_READ_UNITS = 40_000;
    public static final double AWS_TABLE_WRITE_UNITS = 40_000;
    public static final double AWS_PROVISIONED_BURST_SECONDS = 300;

    /** AWS's limits unscaled, disabled; the starting point of {@link #builder()}. */
    public static final Limits OFF = new Limits(false, 1, AWS_PARTITION_READ_UNITS, AWS_PARTITION_WRITE_UNITS,
            AWS_TABLE_READ_UNITS, AWS_TABLE_WRITE_UNITS, 1, AWS_PROVISIONED_BURST_SECONDS, Duration.ofMillis(15),
            "us-east-1", "000000000000");

    public Limits {
        if (!(scaleFactor > 0)) {
            throw new IllegalArgumentException("scale factor must be > 0, was " + scaleFactor);
        }
        for (double rate : new double[] {partitionReadUnits, partitionWriteUnits, tableReadUnits, tableWriteUnits}) {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("every rate must be > 0, was " + rate);
            }
        }
        if (!(burstSeconds > 0) || !(provisionedBurstSeconds > 0)) {
            throw new IllegalArgumentException("burst seconds must be > 0");
        }
        Objects.requireNonNull(transactionHold, "transactionHold");
        if (transactionHold.isNegative()) {
            throw new IllegalArgumentException("transaction hold must not be negative");
        }
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }

    public static Builder builder() {
        return new Builder(OFF);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Reads {@code freight.dynamodb.limits.*} from the system properties; absent keys keep {@link #OFF}'s values. */
    public static Limits fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /**
     * Reads the keys {@code enabled}, {@code scale-factor}, {@code partition-read-units}, {@code partition-write-units},
     * {@code table-read-units}, {@code table-write-units}, {@code burst-seconds}, {@code provisioned-burst-seconds},
     * {@code transaction-hold-ms}, {@code region}, {@code account-id}, each under {@link #PREFIX}.
     */
    public static Limits fromProperties(Properties properties) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return fromMap(values);
    }

    /** As {@link #fromProperties(Properties)}, from a map (environment-style callers, tests). */
    public static Limits fromMap(Map<String, String> values) {
        Builder builder = builder();
        String value;
        if ((value = values.get(PREFIX + "enabled")) != null) builder.enabled(Boolean.parseBoolean(value.trim()));
        if ((value = values.get(PREFIX + "scale-factor")) != null) builder.scaleFactor(number(value, "scale-factor"));
        if ((value = values.get(PREFIX + "partition-read-units")) != null) builder.partitionReadUnits(number(value, "partition-read-units"));
        if ((value = values.get(PREFIX + "partition-write-units")) != null) builder.partitionWriteUnits(number(value, "partition-write-units"));
        if ((value = values.get(PREFIX + "table-read-units")) != null) builder.tableReadUnits(number(value, "table-read-units"));
        if ((value = values.get(PREFIX + "table-write-units")) != null) builder.tableWriteUnits(number(value, "table-write-units"));
        if ((value = values.get(PREFIX + "burst-seconds")) != null) builder.burstSeconds(number(value, "burst-seconds"));
        if ((value = values.get(PREFIX + "provisioned-burst-seconds")) != null) builder.provisionedBurstSeconds(number(value, "provisioned-burst-seconds"));
        if ((value = values.get(PREFIX + "transaction-hold-ms")) != null) builder.transactionHold(Duration.ofMillis((long) number(value, "transaction-hold-ms")));
        if ((value = values.get(PREFIX + "region")) != null) builder.region(value.trim());
        if ((value = values.get(PREFIX + "account-id")) != null) builder.accountId(value.trim());
        return builder.build();
    }

    private static double number(String value, String key) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a number, was '" + value + "'", e);
        }
    }

    /** Scaled rates, units a second, as the gate applies them. */
    public double scaledPartitionReadUnits() { return partitionReadUnits / scaleFactor; }
    public double scaledPartitionWriteUnits() { return partitionWriteUnits / scaleFactor; }
    public double scaledTableReadUnits() { return tableReadUnits / scaleFactor; }
    public double scaledTableWriteUnits() { return tableWriteUnits / scaleFactor; }

    /** The gate these limits describe: {@link ThroughputGate#unlimited()} when disabled. */
    public ThroughputGate throughputGate(LongSupplier nanoClock) {
        return enabled ? new RateLimits(this, nanoClock) : ThroughputGate.unlimited();
    }

    /** The item holds these limits describe: {@link ItemHolds#none()} when disabled. */
    public ItemHolds itemHolds(LongSupplier nanoClock) {
        return enabled ? new TransactionHolds(transactionHold, nanoClock) : ItemHolds.none();
    }

    /** Builder; every setter keeps the others' values. */
    public static final class Builder {
        private boolean enabled;
        private double scaleFactor;
        private double partitionReadUnits;
        private double partitionWriteUnits;
        private double tableReadUnits;
        private double tableWriteUnits;
        private double burstSeconds;
        private double provisionedBurstSeconds;
        private Duration transactionHold;
        private String region;
        private String accountId;

        private Builder(Limits from) {
            enabled = from.enabled;
            scaleFactor = from.scaleFactor;
            partitionReadUnits = from.partitionReadUnits;
            partitionWriteUnits = from.partitionWriteUnits;
            tableReadUnits = from.tableReadUnits;
            tableWriteUnits = from.tableWriteUnits;
            burstSeconds = from.burstSeconds;
            provisionedBurstSeconds = from.provisionedBurstSeconds;
            transactionHold = from.transactionHold;
            region = from.region;
            accountId = from.accountId;
        }

        public Builder enabled(boolean value) { enabled = value; return this; }
        public Builder scaleFactor(double value) { scaleFactor = value; return this; }
        public Builder partitionReadUnits(double value) { partitionReadUnits = value; return this; }
        public Builder partitionWriteUnits(double value) { partitionWriteUnits = value; return this; }
        public Builder tableReadUnits(double value) { tableReadUnits = value; return this; }
        public Builder tableWriteUnits(double value) { tableWriteUnits = value; return this; }
        public Builder burstSeconds(double value) { burstSeconds = value; return this; }
        public Builder provisionedBurstSeconds(double value) { provisionedBurstSeconds = value; return this; }
        public Builder transactionHold(Duration value) { transactionHold = value; return this; }
        public Builder region(String value) { region = value; return this; }
        public Builder accountId(String value) { accountId = value; return this; }

        public Limits build() {
            return new Limits(enabled, scaleFactor, partitionReadUnits, partitionWriteUnits, tableReadUnits,
                    tableWriteUnits, burstSeconds, provisionedBurstSeconds, transactionHold, region, accountId);
        }
    }
}
