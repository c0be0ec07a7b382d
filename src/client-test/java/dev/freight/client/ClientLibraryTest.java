package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.freight.client.internal.Digests;

/**
 * The client library against the running service and the test storage: what storage ends up holding, which PUTs
 * were sent, and how the library gets through refusals, resumes and corrupt bytes.
 */
@QuarkusTest
class ClientLibraryTest {

    static final long PART = 5L * TestFiles.MIB;

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path temp;

    FreightClient client(WireTap tap) {
        return FreightClient.builder(root.toString()).transport(tap)
                .stateStore(new FileStateStore(temp.resolve("state").toFile()))
                .retryPolicy(new RetryPolicy(5, 50, 500)).build();
    }

    static UploadOptions options() {
        return UploadOptions.defaults().partSize(PART).parallelism(4).authorName("Ada");
    }

    static File randomFile(Path directory, String name, long size, long seed) throws Exception {
        Path path = directory.resolve(name);
        Files.createDirectories(directory);
        Files.write(path, TestFiles.randomBytes((int) size, seed));
        return path.toFile();
    }

    @Test
    void parallelUploadLeavesTheExactBytesInStorageWithTheCompositeChecksum() throws Exception {
        File file = randomFile(temp, "holiday.mp4", 6 * PART + 4321, 1);
        WireTap tap = new WireTap();
        UploadResult result = client(tap).upload(new FileSource(file), options());

        byte[] bytes = Files.readAllBytes(file.toPath());
        String objectKey = storage.objectKey(UUID.fromString(result.fileId()));
        assertThat(TestFiles.sha256Hex(storage.object(objectKey))).isEqualTo(TestFiles.sha256Hex(bytes));
        assertThat(result.upload().uploadStatus()).isEqualTo("uploaded");
        assertThat(result.upload().checksumAlgorithm()).isEqualTo("SHA256");
        assertThat(result.upload().partCount()).isEqualTo(7);
        assertThat(tap.partPuts.get()).isEqualTo(7);
        List<String> digests = new ArrayList<>();
        for (int part = 1; part <= 7; part++) {
            digests.add(TestFiles.sha256Base64(TestFiles.part(bytes, PART, part)));
        }
        assertThat(result.upload().objectChecksumSha256()).isEqualTo(Digests.composite(digests));
        assertThat(storage.itemString(result.fileId(), "upload_status")).isEqualTo("uploaded");
        assertThat(temp.resolve("state").toFile().list()).isEmpty();
    }

    @Test
    void aByteCorruptedInFlightIsRefusedByStorageAndThePartIsSentAgain() throws Exception {
        File file = randomFile(temp, "flaky.bin", 2 * PART + 10, 2);
        WireTap tap = new WireTap();
        tap.corruptPut = attempt -> attempt == 1;
        UploadResult result = client(tap).upload(new FileSource(file), options().parallelism(1));

        assertThat(tap.partPuts.get()).isEqualTo(4);
        assertThat(result.partsSent()).isEqualTo(3);
        String objectKey = storage.objectKey(UUID.fromString(result.fileId()));
        assertThat(TestFiles.sha256Hex(storage.object(objectKey)))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
    }

    @Test
    void aPartStorageKeepsRefusingEndsWithStoragesWordsAndTheUploadStaysResumable() throws Exception {
        File file = randomFile(temp, "bad-line.bin", PART + 10, 3);
        WireTap tap = new WireTap();
        tap.corruptPut = attempt -> attempt <= 2;
        FreightClient client = client(tap);
        UploadTask task = client.startUpload(new FileSource(file), options().parallelism(1));
        assertThatThrownBy(task::await).isInstanceOf(FreightException.class)
                .satisfies(failure -> assertThat(((FreightException) failure).resumable()).isTrue());
        assertThat(client.status(task.fileId()).uploadStatus()).isEqualTo("uploading");

        tap.corruptPut = attempt -> false;
        UploadResult resumed = client.resume(new FileSource(file), options());
        assertThat(resumed.fileId()).isEqualTo(task.fileId());
        assertThat(resumed.upload().uploadStatus()).isEqualTo("uploaded");
    }

    @Test
    void anAnswerLostAfterStorageStoredAPartIsNotSentAgain() throws Exception {
        File file = randomFile(temp, "train.bin", 6 * PART + 99, 9);
        WireTap tap = new WireTap();
        // What a phone on a train sees: storage stores three parts, their answers never come back.
        tap.dropPutAnswer = attempt -> attempt == 2 || attempt == 4 || attempt == 6;
        UploadResult result = client(tap).upload(new FileSource(file), options());

        // The library asked the service's part listing (storage's ListParts) and sent none of them again.
        assertThat(tap.partPuts.get()).isEqualTo(7);
        assertThat(tap.putBytes.get()).isEqualTo(file.length());
        assertThat(result.partsSent()).isEqualTo(7);
        assertThat(result.upload().partCount()).isEqualTo(7);
        String objectKey = storage.objectKey(UUID.fromString(result.fileId()));
        assertThat(TestFiles.sha256Hex(storage.object(objectKey)))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
    }

    /** Cancels once {@code parts} parts are acknowledged (as a killed app stops) and answers the upload's id. */
    static String uploadUntil(FreightClient client, File file, int parts) throws Exception {
        AtomicReference<UploadTask> task = new AtomicReference<>();
        Object started = new Object();
        UploadOptions options = options().parallelism(1).listener(progress -> {
            synchronized (started) {
                if (progress.partsDone() >= parts && task.get() != null) {
                    task.get().cancel();
                }
            }
        });
        synchronized (started) {
            task.set(client.startUpload(new FileSource(file), options));
        }
        assertThatThrownBy(() -> task.get().await()).isInstanceOf(UploadCancelledException.class);
        return task.get().fileId();
    }

    @Test
    void resumeWithTheStateFileDeletedFindsTheUploadThroughTheApiAndSendsOnlyMissingParts() throws Exception {
        File file = randomFile(temp, "lost-state.bin", 5 * PART + 1, 4);
        String fileId = uploadUntil(client(new WireTap()), file, 2);
        int held = client(new WireTap()).status(fileId).uploadedParts().size();
        assertThat(held).isEqualTo(2);
        for (File state : temp.resolve("state").toFile().listFiles()) {
            assertThat(state.delete()).isTrue();
        }

        WireTap tap = new WireTap();
        UploadResult result = client(tap).resume(new FileSource(file), options());

        assertThat(result.fileId()).isEqualTo(fileId);
        assertThat(tap.partPuts.get()).isEqualTo(6 - held);
        String objectKey = storage.objectKey(UUID.fromString(fileId));
        assertThat(TestFiles.sha256Hex(storage.object(objectKey)))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
    }

    @Test
    void anotherFileWithTheSameNameAndSizeIsNotResumedIntoTheUpload() throws Exception {
        File file = randomFile(temp, "twin.bin", 3 * PART, 5);
        String fileId = uploadUntil(client(new WireTap()), file, 1);
        File impostor = randomFile(temp.resolve("other"), "twin.bin", 3 * PART, 6);
        assertThat(impostor.setLastModified(file.lastModified())).isTrue();

        assertThatThrownBy(() -> client(new WireTap()).resume(new FileSource(impostor), options()))
                .isInstanceOf(SourceChangedException.class).hasMessageContaining("content differs");
        assertThat(client(new WireTap()).status(fileId).uploadedParts()).hasSize(1);
    }

    @Test
    void downloadByPartsVerifiesEachPartAndRefetchesACorruptOne() throws Exception {
        File file = randomFile(temp, "movie.bin", 3 * PART + 77, 7);
        String fileId = client(new WireTap()).upload(new FileSource(file), options()).fileId();

        WireTap tap = new WireTap();
        tap.corruptGet = attempt -> attempt == 2;
        File target = temp.resolve("downloads/movie.bin").toFile();
        DownloadResult result = client(tap).download(fileId, target, DownloadOptions.defaults());

        assertThat(result.verifiedByParts()).isTrue();
        assertThat(result.partCount()).isEqualTo(4);
        assertThat(tap.rangedGets.get()).isEqualTo(5);
        assertThat(TestFiles.sha256Hex(Files.readAllBytes(target.toPath())))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
        assertThat(target.getParentFile().list()).containsExactly("movie.bin");
    }

    @Test
    void aDownloadedPartThatStaysCorruptIsDetectedAndNothingIsMovedIntoPlace() throws Exception {
        File file = randomFile(temp, "clip.bin", 2 * PART + 5, 8);
        String fileId = client(new WireTap()).upload(new FileSource(file), options()).fileId();

        WireTap tap = new WireTap();
        tap.corruptGet = attempt -> true;
        File target = temp.resolve("clip.out").toFile();
        assertThatThrownBy(() -> client(tap).download(fileId, target, DownloadOptions.defaults().parallelism(1)))
                .isInstanceOf(VerificationException.class).hasMessageContaining("SHA-256");
        assertThat(target).doesNotExist();

        DownloadResult retried = client(new WireTap()).download(fileId, target, DownloadOptions.defaults());
        assertThat(TestFiles.sha256Hex(Files.readAllBytes(target.toPath())))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
        assertThat(retried.partCount()).isEqualTo(3);
    }

    @Test
    void refusalsCarryTheServicesWords() {
        assertThatThrownBy(() -> client(new WireTap()).status(UUID.randomUUID().toString()))
                .isInstanceOf(ServiceException.class).hasMessageContaining("404")
                .satisfies(failure -> assertThat(((ServiceException) failure).status()).isEqualTo(404));
    }
}
