package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import okhttp3.Authenticator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the library does on the wire, through real HTTP (OkHttp to MockWebServer): an answer lost after storage
 * stored the part, connections shared by every task of a client, a cancel that aborts a call waiting for its
 * answer, and the app's own OkHttpClient left as it came.
 */
class OnTheWireTest {

    private static final long PART = 5L * 1024 * 1024;

    @TempDir
    Path temp;

    private FakeFreight fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeFreight();
    }

    @AfterEach
    void stop() throws IOException {
        fake.close();
    }

    private FreightClient.Builder builder() {
        return FreightClient.builder(fake.url()).stateStore(new FileStateStore(temp.resolve("state").toFile()))
                .retryPolicy(new RetryPolicy(5, 10, 50));
    }

    private File file(String name, long size, long seed) throws IOException {
        return FreightClientTest.randomFile(temp, name, size, seed);
    }

    private static UploadOptions options() {
        return FreightClientTest.options();
    }

    /** Part PUTs seen by the network, per part number, with the body bytes that went out. */
    private static final class PutCounter {
        final Map<Integer, AtomicInteger> puts = new ConcurrentHashMap<>();
        final AtomicLong bytes = new AtomicLong();
        final Set<Integer> dropAnswerOnce;
        final Set<Integer> dropped = ConcurrentHashMap.newKeySet();

        PutCounter(Set<Integer> dropAnswerOnce) {
            this.dropAnswerOnce = dropAnswerOnce;
        }

        /** A network interceptor: storage gets the whole request; for chosen parts the answer never comes back. */
        Response intercept(okhttp3.Interceptor.Chain chain) throws IOException {
            Request request = chain.request();
            if (!request.method().equals("PUT")) {
                return chain.proceed(request);
            }
            int part = Integer.parseInt(request.url().pathSegments().get(2));
            puts.computeIfAbsent(part, n -> new AtomicInteger()).incrementAndGet();
            bytes.addAndGet(request.body().contentLength());
            Response response = chain.proceed(request);
            if (response.isSuccessful() && dropAnswerOnce.contains(part) && dropped.add(part)) {
                // What a phone on a train sees: storage stored the part, its answer was lost on the way back.
                response.close();
                throw new SocketException("Connection reset (answer dropped by the test)");
            }
            return response;
        }
    }

    @Test
    void anAnswerLostAfterStorageStoredThePartIsNotSentAgain() throws Exception {
        File file = file("train.bin", 5 * PART + 777, 21);
        PutCounter wire = new PutCounter(Set.of(2, 4, 5));
        OkHttpClient app = new OkHttpClient.Builder().addNetworkInterceptor(wire::intercept).build();

        UploadResult result = builder().okHttpClient(app).build().upload(new FileSource(file), options());

        assertThat(wire.dropped).containsExactlyInAnyOrder(2, 4, 5);
        // The library asked the service which parts storage holds instead of sending the three again.
        for (int part = 1; part <= 6; part++) {
            assertThat(wire.puts.get(part)).as("PUTs of part " + part).hasValue(1);
        }
        assertThat(wire.bytes.get()).isEqualTo(file.length());
        assertThat(fake.partPuts.get()).isEqualTo(6);
        assertThat(result.partsSent()).isEqualTo(6);
        assertThat(result.bytesSent()).isEqualTo(file.length());
        assertThat(fake.only().object).isEqualTo(Files.readAllBytes(file.toPath()));
    }

    @Test
    void aLostAnswerOfAPartStorageDidNotStoreSendsItAgain() throws Exception {
        File file = file("lost.bin", 2 * PART, 22);
        // The first PUT breaks before it reaches storage: asked, the service lists no such part, so it goes again.
        AtomicInteger broken = new AtomicInteger();
        OkHttpClient app = new OkHttpClient.Builder().addNetworkInterceptor(chain -> {
            if (chain.request().method().equals("PUT") && broken.getAndIncrement() == 0) {
                throw new SocketException("Connection reset before the body went out");
            }
            return chain.proceed(chain.request());
        }).build();

        builder().okHttpClient(app).build().upload(new FileSource(file), options().parallelism(1));

        assertThat(broken.get()).as("PUTs on the wire").isEqualTo(3);
        assertThat(fake.partPuts.get()).isEqualTo(2);
        assertThat(fake.only().object).isEqualTo(Files.readAllBytes(file.toPath()));
    }

    @Test
    void uploadsOfOneClientShareItsConnections() throws Exception {
        AtomicInteger onTheWire = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        HttpTransport inner = new OkHttpTransport();
        HttpTransport counting = request -> {
            if (!request.method().equals("PUT")) {
                return inner.execute(request);
            }
            peak.accumulateAndGet(onTheWire.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
                return inner.execute(request);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            } finally {
                onTheWire.decrementAndGet();
            }
        };
        FreightClient client = builder().transport(counting).maxConnections(2).build();
        List<File> files = new ArrayList<>();
        List<UploadTask> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(file("shared-" + i + ".bin", 3 * PART + 1 + i, 30 + i));
            tasks.add(client.startUpload(new FileSource(files.get(i)), options()));
        }
        for (UploadTask task : tasks) {
            assertThat(task.await().upload().uploadStatus()).isEqualTo("uploaded");
        }

        // Three uploads of parallelism 3 would put 9 PUTs on the wire; the client allows 2 for all of them.
        assertThat(peak.get()).isEqualTo(2);
        assertThat(fake.partPuts.get()).isEqualTo(12);
        for (int i = 0; i < 3; i++) {
            String fileId = tasks.get(i).fileId();
            assertThat(fake.uploads.get(fileId).object).isEqualTo(Files.readAllBytes(files.get(i).toPath()));
        }
    }

    @Test
    void cancelAbortsAPartWaitingForItsAnswer() throws Exception {
        File file = file("slow.bin", PART, 23);
        fake.stallPutAnswersMillis = 4_000;
        UploadTask task = builder().build().startUpload(new FileSource(file), options());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (fake.partPuts.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fake.partPuts.get()).as("storage has the part and holds its answer back").isEqualTo(1);

        long cancelled = System.nanoTime();
        task.cancel();
        assertThatThrownBy(task::await).isInstanceOf(UploadCancelledException.class);
        // Call.cancel: no waiting for the answer (4 s) nor for the read timeout (60 s).
        assertThat((System.nanoTime() - cancelled) / 1_000_000).isLessThan(2_000);
        assertThat(task.progress().phase()).isEqualTo(Phase.CANCELLED);
    }

    @Test
    void theAppsOkHttpClientIsLeftAsItCameAndItsAuthenticatorAsksForTheTokenOnce() throws Exception {
        OkHttpClient app = new OkHttpClient();
        int perHost = app.dispatcher().getMaxRequestsPerHost();
        List<String> handedOut = new ArrayList<>();
        File file = file("auth.bin", PART, 24);
        fake.acceptedTokens = Set.of("fresh");
        FreightClient client = builder().okHttpClient(app).tokenSupplier(() -> {
            String token = handedOut.isEmpty() ? "stale" : "fresh";
            handedOut.add(token);
            return token;
        }).build();

        client.upload(new FileSource(file), options());

        assertThat(app.dispatcher().getMaxRequestsPerHost()).isEqualTo(perHost);
        assertThat(app.authenticator()).isSameAs(Authenticator.NONE);
        assertThat(app.followRedirects()).isTrue();
        assertThat(fake.only().status).isEqualTo("uploaded");
        // The first call's 401 made OkHttp's Authenticator ask once; "fresh" was then asked per request.
        assertThat(handedOut.subList(0, 2)).containsExactly("stale", "fresh");
        assertThat(fake.authorizations.stream().filter("Bearer stale"::equals)).hasSize(1);

        // A token the service keeps refusing ends after one more ask, as the service's refusal.
        fake.acceptedTokens = Set.of("never");
        int asked = handedOut.size();
        assertThatThrownBy(() -> client.status(fake.only().fileId)).isInstanceOf(ServiceException.class)
                .satisfies(refused -> assertThat(((ServiceException) refused).status()).isEqualTo(401));
        assertThat(handedOut.size() - asked).isEqualTo(2);
    }
}
