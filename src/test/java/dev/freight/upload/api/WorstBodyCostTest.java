package dev.freight.upload.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.config.JsonSettings;
import dev.freight.problem.FreightException;
import dev.freight.upload.api.validation.FieldChecks;

/**
 * What the worst body the limits allow costs a worker thread once the caller is known: parsing it with the API's JSON
 * settings and checking its fields, measured in CPU time of this thread (the best of a few runs, after warm-up).
 * Measured here: ~11 ms for 2 MB of ~690,000 empty parts (~41 ms before the parts list stopped building elements
 * past 10,001), ~2 ms for 10,000 broken parts.
 */
class WorstBodyCostTest {

    private final ObjectMapper json = new ObjectMapper();

    WorstBodyCostTest() {
        new JsonSettings().customize(json);
    }

    @Test
    void theWorstCompleteBodyCostsWellUnderOneHundredMillisecondsOfCpu() throws Exception {
        // ~690,000 empty part objects: just under the 2 MiB body limit.
        StringBuilder text = new StringBuilder("{\"file_id\":\"00000000-0000-4000-8000-000000000000\",\"parts\":[{}");
        while (text.length() < 2 * 1024 * 1024 - 10) {
            text.append(",{}");
        }
        byte[] worst = text.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        // Every element within the bound broken twice: 20,000 breaks to count.
        StringBuilder broken = new StringBuilder("{\"file_id\":\"00000000-0000-4000-8000-000000000000\",\"parts\":[");
        for (int index = 0; index < 10_000; index++) {
            broken.append(index == 0 ? "" : ",").append("{\"etag\":\" \"}");
        }
        byte[] tenThousandBroken = broken.append("]}").toString().getBytes(StandardCharsets.US_ASCII);

        for (byte[] body : new byte[][] { worst, tenThousandBroken }) {
            long best = Long.MAX_VALUE;
            for (int run = 0; run < 8; run++) {
                best = Math.min(best, cpuNanosToRefuse(body));
            }
            System.out.printf("WorstBodyCost %d bytes: %.1f ms CPU%n", body.length, best / 1e6);
            assertThat(best / 1_000_000).as("ms of CPU for %d bytes", body.length).isLessThan(100);
        }
    }

    private long cpuNanosToRefuse(byte[] body) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        CompleteRequest request = json.readValue(body, CompleteRequest.class);
        // Past S3's 10,000 parts plus one, elements are skipped, not built.
        assertThat(request.parts()).hasSizeLessThanOrEqualTo(10_001);
        FreightException refused = catchThrowableOfType(FreightException.class,
                () -> FieldChecks.body(request).throwIfAny());
        long spent = threads.getCurrentThreadCpuTime() - started;
        assertThat(refused.toProblem().errors()).hasSizeLessThanOrEqualTo(FieldChecks.MAX_LISTED_ERRORS);
        return spent;
    }
}
