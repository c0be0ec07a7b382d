package dev.freight.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.freight.config.FreightConfig;

/** A {@link FreightConfig} with the defaults, for unit tests that build storage classes by hand. */
public final class TestConfig {

    private TestConfig() {
    }

    public static FreightConfig withBucket(String bucket) {
        return withCompleteTimes(bucket, Duration.ofSeconds(20), Duration.ofMinutes(15));
    }

    /** With a table of the test's choosing (the bucket is {@code bucket}). */
    public static FreightConfig withTable(String table) {
        return build("bucket", table, Duration.ofSeconds(20), Duration.ofMinutes(15));
    }

    /** With a complete call's wait and an assembly's bound of the test's choosing. */
    public static FreightConfig withCompleteTimes(String bucket, Duration completeWait, Duration completeTimeout) {
        return build(bucket, "table", completeWait, completeTimeout);
    }

    private static FreightConfig build(String bucket, String table, Duration completeWait, Duration completeTimeout) {
        return new FreightConfig() {
            @Override
            public Storage storage() {
                return new Storage() {
                    public String bucket() {
                        return bucket;
                    }

                    public String table() {
                        return table;
                    }

                    public boolean provision() {
                        return false;
                    }

                    public boolean backfillListing() {
                        return false;
                    }

                    public boolean backfillDeadlines() {
                        return false;
                    }

                    public int ownerIndexShards() {
                        return 16;
                    }

                    public boolean backfillQuotaTtl() {
                        return false;
                    }

                    public boolean backfillQuotaShards() {
                        return false;
                    }

                    public int deadlineShards() {
                        return 16;
                    }

                    public int dynamodbMaxAttempts() {
                        return 3;
                    }

                    public Duration retryAfterMin() {
                        return Duration.ofSeconds(1);
                    }

                    public Duration retryAfterMax() {
                        return Duration.ofSeconds(5);
                    }
                };
            }

            @Override
            public Upload upload() {
                return new Upload() {
                    public long defaultPartSize() {
                        return 16L << 20;
                    }

                    public long minPartSize() {
                        return 5L << 20;
                    }

                    public long maxPartSize() {
                        return 5L << 30;
                    }

                    public long maxFileSize() {
                        return 5L << 40;
                    }

                    public Duration urlTtl() {
                        return Duration.ofHours(1);
                    }

                    public int urlBatchSize() {
                        return 100;
                    }

                    public int downloadBatchSize() {
                        return 1000;
                    }

                    public Optional<List<String>> allowedFileTypes() {
                        return Optional.empty();
                    }

                    public Duration expireAfter() {
                        return Duration.ofDays(7);
                    }

                    public Duration endedRetention() {
                        return Duration.ofDays(1);
                    }

                    public String sweepInterval() {
                        return "15m";
                    }

                    public int sweepMaxPages() {
                        return 10;
                    }

                    public int sweepMaxRepairs() {
                        return 2000;
                    }

                    public int repairWorkers() {
                        return 2;
                    }

                    public Duration completeWait() {
                        return completeWait;
                    }

                    public Duration completeTimeout() {
                        return completeTimeout;
                    }

                    public Optional<List<String>> tokenKeys() {
                        return Optional.of(List.of("ZnJlaWdodC10ZXN0LXVwbG9hZC10b2tlbi1rZXktcHVibGljLTE="));
                    }
                };
            }

            @Override
            public Auth auth() {
                return new Auth() {
                    public boolean enabled() {
                        return false;
                    }

                    public int verifiedTokenCacheSize() {
                        return 4096;
                    }
                };
            }

            @Override
            public Quota quota() {
                return new Quota() {
                    public Optional<Long> maxOpenUploads() {
                        return Optional.of(100L);
                    }

                    public Optional<Long> maxOpenBytes() {
                        return Optional.of(5L << 40);
                    }

                    public long maxStoredFiles() {
                        return 0;
                    }

                    public long maxStoredBytes() {
                        return 0;
                    }

                    public int counterShards() {
                        return 16;
                    }
                };
            }

            @Override
            public Companion companion() {
                return new Companion() {
                    public Duration capabilityTtl() {
                        return Duration.ofHours(4);
                    }

                    public long postMaxSize() {
                        return 100L << 20;
                    }

                    public Duration postTtl() {
                        return Duration.ofMinutes(15);
                    }
                };
            }

            @Override
            public Webhooks webhooks() {
                return new Webhooks() {
                    public java.util.Map<String, Endpoint> endpoints() {
                        return java.util.Map.of();
                    }

                    public List<Duration> retrySchedule() {
                        return List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
                                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
                                Duration.ofHours(10));
                    }

                    public Duration timeout() {
                        return Duration.ofSeconds(15);
                    }

                    public int senders() {
                        return 8;
                    }

                    public int queueSize() {
                        return 1000;
                    }

                    public String pollInterval() {
                        return "5s";
                    }

                    public Duration claim() {
                        return Duration.ofSeconds(60);
                    }

                    public Optional<String> adminToken() {
                        return Optional.empty();
                    }

                    public PreCreate preCreate() {
                        return new PreCreate() {
                            public Optional<String> url() {
                                return Optional.empty();
                            }

                            public Optional<List<String>> secrets() {
                                return Optional.empty();
                            }

                            public Duration timeout() {
                                return Duration.ofSeconds(5);
                            }

                            public String onNoAnswer() {
                                return "refuse";
                            }
                        };
                    }
                };
            }

            @Override
            public Listing listing() {
                return new Listing() {
                    public Optional<String> tokenKey() {
                        return Optional.empty();
                    }

                    public Optional<List<String>> previousTokenKeys() {
                        return Optional.empty();
                    }
                };
            }

            @Override
            public Embedded embedded() {
                return new Embedded() {
                    public boolean enabled() {
                        return false;
                    }

                    public int s3Port() {
                        return 0;
                    }

                    public int dynamodbPort() {
                        return 0;
                    }

                    public Optional<String> dataDir() {
                        return Optional.empty();
                    }

                    public Optional<List<String>> corsOrigins() {
                        return Optional.empty();
                    }
                };
            }
        };
    }
}
