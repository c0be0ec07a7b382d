package dev.freight.dynamodb.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The examples of AWS's "DynamoDB read and write operations" page, as numbers. */
class CapacityUnitsTest {

    @Test
    void writesCostOneUnitPerKilobyteRoundedUp() {
        assertThat(CapacityUnits.write(0)).isEqualTo(1);
        assertThat(CapacityUnits.write(500)).isEqualTo(1);
        assertThat(CapacityUnits.write(1024)).isEqualTo(1);
        assertThat(CapacityUnits.write(1025)).isEqualTo(2);
        assertThat(CapacityUnits.write(400 * 1024)).isEqualTo(400);
        assertThat(CapacityUnits.update(1500, 3000)).isEqualTo(3); // the larger of before and after
    }

    @Test
    void strongReadsCostOneUnitPerFourKilobytesAndEventualReadsHalf() {
        assertThat(CapacityUnits.read(3500, true)).isEqualTo(1);   // "reading a 3,500-byte item consumes the same ... as a 4 KB item"
        assertThat(CapacityUnits.read(8 * 1024, true)).isEqualTo(2);
        assertThat(CapacityUnits.read(8 * 1024, false)).isEqualTo(1);
        assertThat(CapacityUnits.read(10 * 1024, true)).isEqualTo(3); // 10 KB rounds to 12 KB
        assertThat(CapacityUnits.read(10 * 1024, false)).isEqualTo(1.5);
        assertThat(CapacityUnits.read(0, false)).isEqualTo(0.5);     // a read that finds nothing still costs
    }

    @Test
    void transactionsCostTwice() {
        assertThat(CapacityUnits.transactional(CapacityUnits.read(8 * 1024, true))).isEqualTo(4);
        assertThat(CapacityUnits.transactional(CapacityUnits.write(1024))).isEqualTo(2);
    }

    @Test
    void pagesSumBeforeRoundingWhileBatchGetsRoundEachItem() {
        long[] sizes = {1536, 6656}; // 1.5 KB and 6.5 KB
        assertThat(CapacityUnits.batchGet(sizes, true)).isEqualTo(3); // 4 KB + 8 KB
        assertThat(CapacityUnits.page(sizes, true)).isEqualTo(2);     // 8 KB
        long[] hundredSmall = new long[100];
        java.util.Arrays.fill(hundredSmall, 100);
        assertThat(CapacityUnits.page(hundredSmall, false)).isEqualTo(1.5); // 10,000 bytes -> 12 KB -> 3 units / 2
    }

    @Test
    void indexWritesFollowTheItemInAndOutOfTheIndex() {
        assertThat(CapacityUnits.indexWrite(-1, -1, false)).isZero();       // never in the index (sparse)
        assertThat(CapacityUnits.indexWrite(-1, 300, false)).isEqualTo(1);  // enters
        assertThat(CapacityUnits.indexWrite(300, -1, false)).isEqualTo(1);  // leaves
        assertThat(CapacityUnits.indexWrite(300, 2000, false)).isEqualTo(2); // projected attributes change
        assertThat(CapacityUnits.indexWrite(300, 300, true)).isEqualTo(2);  // key A -> B: delete + put
    }
}
