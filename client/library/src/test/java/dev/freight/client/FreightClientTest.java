package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.freight.client.internal.Digests;

class FreightClientTest {

    private static final int MIB = 1024 * 1024;
    private static final long PART = 5L * MIB;

    @TempDir
    Path temp;

    private FakeFreight fake;
    private File stateDir;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeFreight();
        stateDir = temp.resolve("state").toFile();
    }

    @AfterEach
    void stop() throws IOException {
        fake.close();
    }

    private FreightClient client(HttpTransport transport) {
        FreightClient.Builder builder = FreightClient.builder(fake.url()).stateStore(new FileStateStore(stateDir))
                .retryPolicy(new RetryPolicy(5, 10, 50));
        if (transport != null) {
            builder.transport(transport);
        }
        return builder.build();
    }

    private File file(String name, long size, long seed) throws IOException {
        return randomFile(temp, name, size, seed);
    }

    /** A file of {@code size} random bytes (the same for the same seed) in {@code directory}. */
    static File randomFile(Path directory, String name, long size, long seed) throws IOException {
        byte[] bytes = new byte[(int) size];
        new Random(seed).nextBytes(bytes);
        Path path = directory.resolve(name);
        Files.write(path, bytes);
        return path.toFile();
    }

    static UploadOptions options() {
        return UploadOptions.defaults().partSize(PART).parallelism(3).authorName("Ada").progressIntervalMillis(0);
    }

    @Test
    void uploadsInParallelPartsBoundToTheirDigests() throws Exception {
        File file = file("holiday.mp4", 3 * PART + 12345, 1);
        List<Phase> phases = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Progress> last = new AtomicReference<>();
        UploadResult result = client(null).upload(new FileSource(file), options().listener(new ProgressListener() {
            @Override
            public void onProgress(Progress progress) {
                last.set(progress);
            }

            @Override
            public void onPhase(Phase phase, Progress progress) {
                phases.add(phase);
            }
        }));

        FakeFreight.Upload upload = fake.only();
        assertThat(upload.status).isEqualTo("uploaded");
        assertThat(upload.object).isEqualTo(Files.readAllBytes(file.toPath()));
        assertThat(upload.partCount).isEqualTo(4);
        assertThat(upload.init.path("checksum_algorithm").asText()).isEqualTo("SHA256");
        assertThat(upload.init.path("file_type").asText()).isEqualTo("video/mp4");
        // The first `parallelism` parts are hashed before init and their URLs come with it; only the fourth is signed later.
        assertThat(upload.init.path("parts")).hasSize(3);
        assertThat(fake.refreshCalls.get()).isEqualTo(1);
        assertThat(fake.partPuts.get()).isEqualTo(4);
        assertThat(upload.init.path("metadata").path("fingerprint").asText())
                .isEqualTo(Digests.fingerprint(new FileSource(file)));
        assertThat(result.upload().objectChecksumSha256()).isEqualTo(upload.composite);
        assertThat(result.partsSent()).isEqualTo(4);
        assertThat(last.get().bytesAcknowledged()).isEqualTo(file.length());
        assertThat(last.get().partsDone()).isEqualTo(4);
        assertThat(last.get().partsInFlight()).isZero();
        assertThat(phases).containsSubsequence(Phase.TRANSFERRING, Phase.COMPLETING, Phase.DONE);
        assertThat(stateDir.listFiles()).as("state is removed once uploaded").isEmpty();
    }

    /** Cancels the upload once {@code parts} parts are acknowledged, as a killed app would stop. */
    private String uploadUntil(FreightClient client, File file, int parts) throws Exception {
        AtomicReference<UploadTask> task = new AtomicReference<>();
        UploadOptions options = options().parallelism(1).listener(progress -> {
            if (progress.partsDone() >= parts && task.get() != null) {
                task.get().cancel();
            }
        });
        synchronized (this) {
            task.set(client.startUpload(new FileSource(file), options));
        }
        assertThatThrownBy(() -> task.get().await()).isInstanceOf(UploadCancelledException.class)
                .satisfies(failure -> assertThat(((FreightException) failure).resumable()).isTrue());
        return task.get().fileId();
    }

    @Test
    void resumeFromTheStateFileSendsOnlyTheMissingParts() throws Exception {
        File file = file("resume.bin", 4 * PART + 7, 2);
        String fileId = uploadUntil(client(null), file, 2);
        FakeFreight.Upload upload = fake.uploads.get(fileId);
        int held = upload.parts.size();
        assertThat(held).isBetween(2, 3);
        UploadState saved = new FileStateStore(stateDir).load(fileId);
        assertThat(saved.partCount()).isEqualTo(5);
        assertThat(saved.fingerprint()).isEqualTo(Digests.fingerprint(new FileSource(file)));
        assertThat(saved.etag(1)).isEqualTo(FakeFreight.etag(upload.parts.get(1)));

        int putsBefore = fake.partPuts.get();
        UploadResult result = client(null).resume(new FileSource(file), options());

        assertThat(result.fileId()).isEqualTo(fileId);
        assertThat(result.resumed()).isTrue();
        assertThat(fake.partPuts.get() - putsBefore).isEqualTo(5 - held);
        assertThat(result.partsSent()).isEqualTo(5 - held);
        assertThat(upload.object).isEqualTo(Files.readAllBytes(file.toPath()));
        assertThat(new FileStateStore(stateDir).load(fileId)).isNull();
    }

    @Test
    void resumeWithoutLocalStateFindsTheUploadThroughTheApiAndChecksHeldParts() throws Exception {
        File file = file("lost.bin", 3 * PART + 99, 3);
        String fileId = uploadUntil(client(null), file, 2);
        FakeFreight.Upload upload = fake.uploads.get(fileId);
        int held = upload.parts.size();
        for (File state : stateDir.listFiles()) {
            assertThat(state.delete()).isTrue();
        }
        // Storage holds a part with other bytes than the file's: the resume must resend it.
        upload.parts.put(1, new byte[(int) PART]);

        int putsBefore = fake.partPuts.get();
        UploadResult result = client(null).resume(new FileSource(file), options());

        assertThat(result.fileId()).isEqualTo(fileId);
        assertThat(fake.partPuts.get() - putsBefore).isEqualTo(4 - held + 1);
        assertThat(upload.object).isEqualTo(Files.readAllBytes(file.toPath()));
    }

    @Test
    void resumeRefusesAChangedFile() throws Exception {
        File file = file("changing.bin", 3 * PART, 4);
        uploadUntil(client(null), file, 1);
        long modified = file.lastModified();
        try (RandomAccessFile edit = new RandomAccessFile(file, "rw")) {
            edit.seek(10);
            edit.write(0x42 ^ edit.read());
        }
        assertThat(file.setLastModified(modified)).isTrue();
        assertThatThrownBy(() -> client(null).resume(new FileSource(file), options()))
                .isInstanceOf(SourceChangedException.class).hasMessageContaining("content differs");

        try (RandomAccessFile grow = new RandomAccessFile(file, "rw")) {
            grow.setLength(3 * PART + 1);
        }
        assertThatThrownBy(() -> client(null).resume(new FileSource(file), options()))
                .isInstanceOf(SourceChangedException.class).hasMessageContaining("bytes");

        File other = file("other.bin", 1000, 5);
        assertThatThrownBy(() -> client(null).resume(new FileSource(other), options()))
                .isInstanceOf(NotResumableException.class);
    }

    @Test
    void aByteCorruptedInFlightIsRefusedByStorageAndThePartResent() throws Exception {
        File file = file("flaky.bin", 2 * PART + 1, 6);
        TestTransports.Corrupting transport = new TestTransports.Corrupting(attempt -> attempt == 1);
        UploadResult result = client(transport).upload(new FileSource(file), options());

        assertThat(transport.puts.get()).isEqualTo(4);
        assertThat(fake.partPuts.get()).isEqualTo(3);
        assertThat(result.partsSent()).isEqualTo(3);
        assertThat(fake.only().object).isEqualTo(Files.readAllBytes(file.toPath()));
    }

    @Test
    void aPartStorageKeepsRefusingFailsWithStoragesWordsAndStaysResumable() throws Exception {
        File file = file("broken.bin", PART + 1, 7);
        TestTransports.Corrupting transport = new TestTransports.Corrupting(attempt -> true);
        assertThatThrownBy(() -> client(transport).upload(new FileSource(file), options()))
                .isInstanceOf(StorageException.class).hasMessageContaining("BadDigest")
                .hasMessageContaining("did not match")
                .satisfies(failure -> assertThat(((StorageException) failure).resumable()).isTrue());
        // Re-read once: two tries of the refused part, not the whole retry budget.
        assertThat(transport.puts.get()).isLessThanOrEqualTo(4);
        assertThat(fake.only().status).isEqualTo("uploading");
    }

    @Test
    void expiredOrRefusedUrlsAreSignedAgain() throws Exception {
        File file = file("slow.bin", 2 * PART, 8);
        fake.expireNextPuts.set(2);
        client(null).upload(new FileSource(file), options().parallelism(1));
        // One signature for part 2 (part 1 came with init), one more for each refused PUT.
        assertThat(fake.refreshCalls.get()).isEqualTo(3);
        assertThat(fake.only().object).isEqualTo(Files.readAllBytes(file.toPath()));

        fake.signExpired = true;
        File second = file("second.bin", PART, 9);
        assertThatThrownBy(() -> client(null).upload(new FileSource(second), options()))
                .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("expired");
    }

    @Test
    void storageAnswersAreHandledAsTheSharedVectorsSortThem() throws Exception {
        File file = file("sorted.bin", PART, 12);
        // Expired credentials: signed again; a stalled body, a timeout and "slow down": sent again.
        fake.nextPutAnswers.add(new Object[] {400, "ExpiredToken"});
        fake.nextPutAnswers.add(new Object[] {400, "RequestTimeout"});
        fake.nextPutAnswers.add(new Object[] {408, "RequestTimeout"});
        fake.nextPutAnswers.add(new Object[] {503, "SlowDown"});
        int refreshesBefore = fake.refreshCalls.get();
        UploadResult result = client(null).upload(new FileSource(file), options().parallelism(1));
        assertThat(result.upload().uploadStatus()).isEqualTo("uploaded");
        assertThat(fake.refreshCalls.get() - refreshesBefore).as("one URL signed again, for ExpiredToken").isEqualTo(1);
        assertThat(fake.only().object).isEqualTo(Files.readAllBytes(file.toPath()));

        // Nothing the client can fix: final at once, with storage's code.
        fake.nextPutAnswers.add(new Object[] {400, "EntityTooSmall"});
        File second = file("small.bin", PART, 13);
        assertThatThrownBy(() -> client(null).upload(new FileSource(second), options()))
                .isInstanceOfSatisfying(StorageException.class,
                        refused -> assertThat(refused.code()).isEqualTo("EntityTooSmall"));
    }

    @Test
    void serviceAnswering503IsRetriedAndRetryAfterHonoured() throws Exception {
        File file = file("busy.bin", PART, 10);
        fake.unavailable.set(2);
        UploadResult result = client(null).upload(new FileSource(file), options());
        assertThat(result.upload().uploadStatus()).isEqualTo("uploaded");
        assertThat(new RetryPolicy(5, 10, 50).delayMillis(1, "3")).isGreaterThanOrEqualTo(3000);
        assertThat(new RetryPolicy(5, 10, 50).delayMillis(3, null)).isBetween(20L, 50L);
    }

    @Test
    void theTokenSupplierIsAskedPerRequestSoARotatedTokenKeepsTheUploadGoing() throws Exception {
        File file = file("long.bin", 3 * PART, 11);
        AtomicReference<String> current = new AtomicReference<>("first");
        fake.acceptedTokens = Set.of("first");
        FreightClient client = FreightClient.builder(fake.url()).stateStore(new FileStateStore(stateDir))
                .retryPolicy(new RetryPolicy(5, 10, 50)).tokenSupplier(current::get).build();
        UploadOptions options = options().parallelism(1).listener(progress -> {
            if (progress.partsDone() == 1 && current.get().equals("first")) {
                // The old token expires; the app's supplier has a new one for the next request.
                fake.acceptedTokens = Set.of("second");
                current.set("second");
            }
        });
        client.upload(new FileSource(file), options);
        assertThat(fake.only().status).isEqualTo("uploaded");
        assertThat(fake.authorizations).contains("Bearer first", "Bearer second");

        // A 401 asks the supplier once more before giving up.
        List<String> handedOut = Collections.synchronizedList(new ArrayList<>());
        fake.acceptedTokens = Set.of("fresh");
        FreightClient stale = FreightClient.builder(fake.url()).stateStore(new FileStateStore(stateDir))
                .retryPolicy(new RetryPolicy(5, 10, 50)).tokenSupplier(() -> {
                    String token = handedOut.isEmpty() ? "stale" : "fresh";
                    handedOut.add(token);
                    return token;
                }).build();
        assertThat(stale.status(fake.only().fileId).uploadStatus()).isEqualTo("uploaded");
        assertThat(handedOut).containsExactly("stale", "fresh");
    }

    @Test
    void cancelThenAbortDeletesTheUploadAndItsState() throws Exception {
        File file = file("gone.bin", 3 * PART, 12);
        FreightClient client = client(null);
        String fileId = uploadUntil(client, file, 1);
        assertThat(new FileStateStore(stateDir).load(fileId)).isNotNull();
        client.abort(fileId);
        assertThat(fake.uploads.get(fileId).status).isEqualTo("aborted");
        assertThat(new FileStateStore(stateDir).load(fileId)).isNull();
    }

    @Test
    void downloadByPartsVerifiesEveryPartAndRefetchesACorruptOne() throws Exception {
        File file = file("video.bin", 3 * PART + 5, 13);
        FreightClient client = client(null);
        String fileId = client.upload(new FileSource(file), options()).fileId();

        fake.corruptDownloads.set(1);
        File target = temp.resolve("down/video.bin").toFile();
        DownloadResult result = client.download(fileId, target, DownloadOptions.defaults().parallelism(2));

        assertThat(Files.readAllBytes(target.toPath())).isEqualTo(Files.readAllBytes(file.toPath()));
        assertThat(result.verifiedByParts()).isTrue();
        assertThat(result.partCount()).isEqualTo(4);
        assertThat(fake.rangeGets.get()).isEqualTo(5);
        assertThat(target.getParentFile().list()).containsExactly("video.bin");
    }

    @Test
    void aPartThatStaysCorruptFailsTheDownloadAndARerunFetchesOnlyTheRest() throws Exception {
        File file = file("movie.bin", 3 * PART + 5, 14);
        FreightClient client = client(null);
        String fileId = client.upload(new FileSource(file), options()).fileId();

        fake.corruptFrom = 2 * PART;
        File target = temp.resolve("movie.bin.out").toFile();
        assertThatThrownBy(() -> client.download(fileId, target, DownloadOptions.defaults().parallelism(1)))
                .isInstanceOf(VerificationException.class).hasMessageContaining("Part 3")
                .hasMessageContaining("SHA-256");
        assertThat(target).doesNotExist();

        fake.corruptFrom = Long.MAX_VALUE;
        int before = fake.rangeGets.get();
        DownloadResult result = client.download(fileId, target, DownloadOptions.defaults());
        assertThat(fake.rangeGets.get() - before).isEqualTo(2);
        assertThat(result.partsFetched()).isEqualTo(2);
        assertThat(Files.readAllBytes(target.toPath())).isEqualTo(Files.readAllBytes(file.toPath()));
    }

    @Test
    void refusalsByTheServiceCarryItsProblemDetail() throws Exception {
        assertThatThrownBy(() -> client(null).status("00000000-0000-0000-0000-000000000000"))
                .isInstanceOf(ServiceException.class).hasMessageContaining("404").hasMessageContaining("no such upload");
        FreightClient dead = FreightClient.builder("http://127.0.0.1:1").stateStore(new FileStateStore(stateDir))
                .retryPolicy(new RetryPolicy(2, 1, 1)).build();
        assertThatThrownBy(() -> dead.upload(new FileSource(file("x.bin", 10, 15)), options()))
                .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("Cannot reach");
    }

    @Test
    void compositeChecksumIsS3s() {
        // SHA-256 over the raw part digests, base64, "-" and the count (AWS's multipart checksum rule).
        String a = Digests.base64(Digests.sha256().digest("a".getBytes()));
        String b = Digests.base64(Digests.sha256().digest("b".getBytes()));
        java.security.MessageDigest joined = Digests.sha256();
        joined.update(java.util.Base64.getDecoder().decode(a));
        joined.update(java.util.Base64.getDecoder().decode(b));
        assertThat(Digests.composite(List.of(a, b))).isEqualTo(Digests.base64(joined.digest()) + "-2");
    }
}
