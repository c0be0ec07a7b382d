package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.freight.config.FreightConfig;
import dev.freight.support.TestConfig;

/** With auth off every caller is one owner: no cap unless configured. With auth on an unset cap takes its default. */
class OwnerQuotaTest {

    @Test
    void authOffWithoutConfiguredCapsHoldsNoCap() {
        OwnerQuota quota = OwnerQuota.of(config(false, Optional.empty(), Optional.empty()));
        assertThat(quota.maxOpenUploads()).isEqualTo(Long.MAX_VALUE);
        assertThat(quota.maxOpenBytes()).isEqualTo(Long.MAX_VALUE);
        // Nothing can be refused, so an init reads no counter before its transaction (QuotaCounters.checkRoom).
        assertThat(quota.uncapped()).isTrue();
        assertThat(new OwnerQuota(Long.MAX_VALUE, Long.MAX_VALUE, 10, 0).uncapped()).isFalse();
        assertThat(new OwnerQuota(Long.MAX_VALUE, Long.MAX_VALUE, 0, 10).uncapped()).isFalse();
    }

    @Test
    void authOnWithoutConfiguredCapsTakesTheDefaults() {
        OwnerQuota quota = OwnerQuota.of(config(true, Optional.empty(), Optional.empty()));
        assertThat(quota.maxOpenUploads()).isEqualTo(100);
        assertThat(quota.maxOpenBytes()).isEqualTo(5L << 40);
        assertThat(quota.uncapped()).isFalse();
    }

    @Test
    void configuredCapsHoldWithAuthOnAndOff() {
        for (boolean auth : new boolean[] { true, false }) {
            OwnerQuota quota = OwnerQuota.of(config(auth, Optional.of(7L), Optional.of(1000L)));
            assertThat(quota.maxOpenUploads()).isEqualTo(7);
            assertThat(quota.maxOpenBytes()).isEqualTo(1000);
            assertThat(quota.uncapped()).isFalse();
        }
    }

    private static FreightConfig config(boolean auth, Optional<Long> uploads, Optional<Long> bytes) {
        FreightConfig base = TestConfig.withBucket("bucket");
        return (FreightConfig) java.lang.reflect.Proxy.newProxyInstance(FreightConfig.class.getClassLoader(),
                new Class<?>[] { FreightConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "auth" -> new FreightConfig.Auth() {
                        public boolean enabled() {
                            return auth;
                        }

                        public int verifiedTokenCacheSize() {
                            return 0;
                        }
                    };
                    case "quota" -> new FreightConfig.Quota() {
                        public Optional<Long> maxOpenUploads() {
                            return uploads;
                        }

                        public Optional<Long> maxOpenBytes() {
                            return bytes;
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
                    default -> method.invoke(base, args);
                });
    }
}
