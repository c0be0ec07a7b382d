package dev.freight.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.freight.embedded.MultipartChecksumRules.NamedPart;
import dev.freight.embedded.MultipartChecksumRules.Refusal;

/** The AWS rules alone, without HTTP: what each request gets, and that the state survives a restart. */
class MultipartChecksumRulesTest {

    private static final String DIGEST = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    private static final String OTHER = "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=";

    private final MultipartChecksumRules rules = new MultipartChecksumRules(null);

    @Test
    void partsOfAnUploadWithoutAnAlgorithmMayNotCarryAShaChecksum() {
        rules.created("plain", null);
        assertThat(rules.checkUploadPart("plain", List.of("Content-Length", "x-amz-checksum-sha256")))
                .contains(new Refusal(400, "InvalidRequest", "Checksum Type mismatch occurred, expected checksum"
                        + " Type: null, actual checksum Type: sha256"));
        assertThat(rules.checkUploadPart("plain", List.of("X-Amz-Checksum-SHA1"))).isPresent();
        assertThat(rules.checkUploadPart("plain", List.of("Content-Length"))).isEmpty();
        assertThat(rules.computesSha256("plain", List.of())).isFalse();
    }

    @Test
    void partsOfASha256UploadCarryItsChecksumOrNone() {
        rules.created("checked", "sha256");
        assertThat(rules.checkUploadPart("checked", List.of("x-amz-checksum-crc32"))).contains(new Refusal(400,
                "InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum"
                        + " Type: crc32"));
        assertThat(rules.checkUploadPart("checked", List.of("x-amz-checksum-sha256", "x-amz-checksum-crc32")))
                .contains(new Refusal(400, "InvalidRequest", MultipartChecksumRules.MULTIPLE_CHECKSUMS));
        assertThat(rules.checkUploadPart("checked", List.of("x-amz-checksum-sha256", "x-amz-checksum-mode"))).isEmpty();
        assertThat(rules.checkUploadPart("checked", List.of())).isEmpty();
        assertThat(rules.computesSha256("checked", List.of())).isTrue();
        assertThat(rules.computesSha256("checked", List.of("x-amz-checksum-sha256"))).isFalse();
    }

    @Test
    void completeOfASha256UploadNamesEveryPartsStoredChecksumInOrder() {
        rules.created("checked", "SHA256");
        rules.partStored("checked", 1, DIGEST);
        rules.partStored("checked", 2, OTHER);
        NamedPart one = new NamedPart(1, Map.of("ChecksumSHA256", DIGEST));
        NamedPart two = new NamedPart(2, Map.of("ChecksumSHA256", OTHER));

        assertThat(rules.checkComplete("checked", List.of(new NamedPart(1, Map.of()), two))).contains(new Refusal(400,
                "InvalidRequest", "The upload was created using a sha256 checksum. The complete request must include"
                        + " the checksum for each part. It was missing for part 1 in the request."));
        assertThat(rules.checkComplete("checked", List.of(one, new NamedPart(2, Map.of("ChecksumSHA256", DIGEST)))))
                .contains(new Refusal(400, "InvalidPart", MultipartChecksumRules.INVALID_PART));
        assertThat(rules.checkComplete("checked", List.of(one, new NamedPart(2, Map.of("ChecksumCRC32", "AAAAAA==")))))
                .contains(new Refusal(400, "InvalidPart", MultipartChecksumRules.INVALID_PART));
        assertThat(rules.checkComplete("checked", List.of(two, one)))
                .contains(new Refusal(400, "InvalidPartOrder", MultipartChecksumRules.INVALID_PART_ORDER));
        assertThat(rules.checkComplete("checked", List.of(one, two))).isEmpty();
        assertThat(rules.checksums("checked").orElseThrow().partChecksums()).containsExactly(
                Map.entry(1, DIGEST), Map.entry(2, OTHER));
    }

    @Test
    void completeOfAnUploadWithoutAnAlgorithmNamesNoChecksum() {
        rules.created("plain", null);
        assertThat(rules.checkComplete("plain", List.of(new NamedPart(1, Map.of("ChecksumSHA256", DIGEST)))))
                .contains(new Refusal(400, "InvalidPart", MultipartChecksumRules.INVALID_PART));
        assertThat(rules.checkComplete("plain", List.of(new NamedPart(1, Map.of())))).isEmpty();
        rules.partStored("plain", 1, DIGEST);
        assertThat(rules.checksums("plain").orElseThrow().partChecksums()).as("S3 keeps none").isEmpty();
    }

    @Test
    void anEndedUploadIsGoneAndUnknownOnesAreLeftToStorage() {
        rules.created("done", "SHA256");
        rules.ended("done");
        Refusal gone = new Refusal(404, "NoSuchUpload", MultipartChecksumRules.NO_SUCH_UPLOAD);
        assertThat(rules.checkKnown("done")).contains(gone);
        assertThat(rules.checkUploadPart("done", List.of("x-amz-checksum-sha256"))).contains(gone);
        assertThat(rules.checkKnown("never-seen")).isEmpty();
        assertThat(rules.checkUploadPart("never-seen", List.of("x-amz-checksum-sha256"))).isEmpty();
    }

    @Test
    void theStateSurvivesARestartWhenKeptOnDisk() throws Exception {
        Path dir = Files.createTempDirectory("rules");
        MultipartChecksumRules before = new MultipartChecksumRules(dir);
        before.created("upload/1+=", "SHA256");
        before.partStored("upload/1+=", 3, DIGEST);
        before.created("ended", null);
        before.ended("ended");

        MultipartChecksumRules after = new MultipartChecksumRules(dir);
        assertThat(after.checksums("upload/1+=").orElseThrow().algorithm()).isEqualTo("SHA256");
        assertThat(after.checksums("upload/1+=").orElseThrow().partChecksums()).containsEntry(3, DIGEST);
        assertThat(after.checkKnown("ended")).isPresent();
    }
}
