package dev.freight.security;

import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.StorageInspector;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With authentication off every caller is one owner: without a configured cap no quota applies, so the whole
 * deployment is not stopped at the per-owner default (init #101 used to answer 403 quota-exceeded).
 */
@QuarkusTest
class AuthOffQuotaTest {

    @Inject
    StorageInspector storage;

    @Test
    void initNumber101WithAuthOffIsAccepted() {
        String last = null;
        for (int index = 1; index <= 101; index++) {
            last = init(initBody("many" + index + ".bin", 10, null)).getString("file_id");
        }
        assertThat(storage.itemString(last, "upload_status")).isEqualTo("uploading");
    }
}
