package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.freight.support.PartSender;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.model.StoredPart;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Storage (S3Proxy behind the AWS-rules gateway, which checks SigV4) accepts part URLs of the service's cached-key
 * signer and refuses them tampered: another signature, another part number, another length, other bytes than the
 * signed checksum.
 */
@QuarkusTest
class PartUrlSignerStorageTest {

    @Inject
    PresignService signer;
    @Inject
    S3MultipartStorage storage;
    @Inject
    StorageInspector inspector;

    @Test
    void storageAcceptsTheCachedKeySignersUrlsAndRefusesTamperedOnes() {
        assertThat(signer.signsPartsWithCachedKey()).as("static test credentials use the cached-key signer").isTrue();
        String key = UUID.randomUUID().toString();
        String uploadId = storage.startMultipartUpload(key, "application/octet-stream", true);
        byte[] part = TestFiles.randomBytes(5 * TestFiles.MIB, 1401);
        byte[] last = TestFiles.randomBytes(1234, 1402);
        SignedUrl first = signer.signPartUpload(key, uploadId, 1, part.length, TestFiles.sha256Base64(part),
                Duration.ofMinutes(10));
        SignedUrl second = signer.signPartUpload(key, uploadId, 2, last.length, null, Duration.ofMinutes(10));

        String url = first.url();
        char lastChar = url.charAt(url.length() - 1);
        String otherSignature = url.substring(0, url.length() - 1) + (lastChar == '0' ? '1' : '0');
        assertThat(PartSender.put(otherSignature, first.headers(), part).accepted()).isFalse();
        assertThat(PartSender.put(url.replace("partNumber=1&", "partNumber=3&"), first.headers(), part).accepted())
                .isFalse();
        byte[] flipped = part.clone();
        flipped[123] ^= 1;
        assertThat(PartSender.put(url, first.headers(), flipped).accepted()).as("other bytes than signed").isFalse();
        assertThat(PartSender.put(second.url(), second.headers(), TestFiles.randomBytes(1235, 1403)).accepted())
                .as("another length than signed").isFalse();
        assertThat(storage.listParts(key, uploadId)).isEmpty();

        PartSender.Answer one = PartSender.put(url, first.headers(), part);
        PartSender.Answer two = PartSender.put(second.url(), second.headers(), last);
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(two.status()).as(two.body()).isEqualTo(200);
        assertThat(storage.listParts(key, uploadId)).extracting(StoredPart::partNumber, StoredPart::size,
                StoredPart::checksumSha256).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, (long) part.length, TestFiles.sha256Base64(part)),
                        org.assertj.core.groups.Tuple.tuple(2, (long) last.length, TestFiles.sha256Base64(last)));
        storage.abortMultipartUpload(key, uploadId);
    }
}
