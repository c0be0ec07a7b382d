package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.freight.problem.StorageUnavailableException;
import dev.freight.support.TestConfig;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.service.UploadGoneException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * ListParts the way AWS answers it (pages of at most 1,000 parts, 404 NoSuchUpload), which S3Proxy does not
 * reproduce: it never pages and answers 200 for unknown uploads.
 */
class ListPartsPagingTest {

    @Test
    void followsEveryPage() {
        PagingS3 s3 = new PagingS3(2_345, 1_000);
        List<StoredPart> parts = service(s3).listParts("key", "upload");

        assertThat(parts).hasSize(2_345);
        assertThat(parts).extracting(StoredPart::partNumber).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 2_345).boxed().toList());
        assertThat(s3.markers).containsExactly(null, 1_000, 2_000);
    }

    @Test
    void vanishedUploadIsReportedAsGone() {
        S3Client s3 = new PagingS3(0, 1_000) {
            @Override
            public ListPartsResponse listParts(ListPartsRequest request) {
                throw NoSuchUploadException.builder().message("gone").statusCode(404).build();
            }
        };
        assertThatThrownBy(() -> service(s3).listParts("key", "upload")).isInstanceOf(UploadGoneException.class);
    }

    @Test
    void unreachableStorageIsUnavailable() {
        S3Client s3 = new PagingS3(0, 1_000) {
            @Override
            public ListPartsResponse listParts(ListPartsRequest request) {
                throw SdkClientException.create("Connection refused");
            }
        };
        assertThatThrownBy(() -> service(s3).listParts("key", "upload"))
                .isInstanceOf(StorageUnavailableException.class);
    }

    private static S3MultipartStorage service(S3Client s3) {
        return new S3MultipartStorage(s3, TestConfig.withBucket("bucket"), StorageFailures.unobserved());
    }

    /** Answers ListParts in pages the way AWS S3 does. */
    private static class PagingS3 implements S3Client {
        final List<Integer> markers = new ArrayList<>();
        private final int partCount;
        private final int pageSize;

        PagingS3(int partCount, int pageSize) {
            this.partCount = partCount;
            this.pageSize = pageSize;
        }

        @Override
        public ListPartsResponse listParts(ListPartsRequest request) {
            markers.add(request.partNumberMarker());
            int from = request.partNumberMarker() == null ? 0 : request.partNumberMarker();
            int to = Math.min(partCount, from + pageSize);
            List<Part> parts = IntStream.rangeClosed(from + 1, to)
                    .mapToObj(number -> Part.builder().partNumber(number).size(5L << 20).eTag("\"" + number + "\"").build())
                    .toList();
            return ListPartsResponse.builder().parts(parts).isTruncated(to < partCount)
                    .nextPartNumberMarker(to < partCount ? to : null).build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }
}
