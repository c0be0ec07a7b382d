package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.freight.security.AuthEnabledProfile;
import dev.freight.support.StorageInspector;
import dev.freight.support.TestFiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;

/**
 * What a long upload meets: part URLs that expire before their PUT (2-second URLs here) and a bearer token that
 * expires mid-upload. The library signs again and asks its token supplier again, and the upload completes.
 */
@QuarkusTest
@TestProfile(ClientLongUploadTest.ShortLivedUrlsWithAuth.class)
class ClientLongUploadTest {

    public static class ShortLivedUrlsWithAuth extends AuthEnabledProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("freight.upload.url-ttl", "PT2S");
            return overrides;
        }
    }

    private static final String KEY = "test-keys/privateKey.pem";

    @TestHTTPResource("/")
    URL root;

    @Inject
    StorageInspector storage;

    @TempDir
    Path temp;

    static String validToken() {
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE)
                .subject("mobile-user").claim("name", "Ada")
                .expiresIn(Duration.ofMinutes(10)).sign(KEY);
    }

    static String expiredToken() {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(AuthEnabledProfile.ISSUER).audience(AuthEnabledProfile.AUDIENCE)
                .subject("mobile-user").issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofHours(1))).sign(KEY);
    }

    @Test
    void expiredUrlsAndAnExpiredTokenMidUploadAreRecoveredFrom() throws Exception {
        File file = ClientLibraryTest.randomFile(temp, "long.bin", 4 * ClientLibraryTest.PART + 3, 21);
        AtomicBoolean tokenExpired = new AtomicBoolean();
        AtomicInteger suppliedTokens = new AtomicInteger();
        AtomicInteger expiredHandedOut = new AtomicInteger();
        // The app's token store: after the second part its cached token has expired, and the next request
        // (answered 401) makes it refresh.
        TokenSupplier tokens = () -> {
            suppliedTokens.incrementAndGet();
            if (tokenExpired.compareAndSet(true, false)) {
                expiredHandedOut.incrementAndGet();
                return expiredToken();
            }
            return validToken();
        };
        AtomicInteger delayedPuts = new AtomicInteger();
        WireTap tap = new WireTap() {
            @Override
            public HttpResponse execute(HttpRequest request) throws IOException {
                if (request.method().equals("PUT") && delayedPuts.incrementAndGet() == 1) {
                    // The first part's URL (signed with init) expires before this PUT goes out.
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.execute(request);
            }
        };
        FreightClient client = FreightClient.builder(root.toString()).transport(tap).tokenSupplier(tokens)
                .stateStore(new FileStateStore(temp.resolve("state").toFile()))
                .retryPolicy(new RetryPolicy(5, 50, 500)).build();
        UploadOptions options = ClientLibraryTest.options().parallelism(1).authorName(null).listener(progress -> {
            if (progress.partsDone() == 2 && expiredHandedOut.get() == 0) {
                tokenExpired.set(true);
            }
        });

        UploadResult result = client.upload(new FileSource(file), options);

        assertThat(result.upload().uploadStatus()).isEqualTo("uploaded");
        assertThat(result.upload().authorName()).isEqualTo("Ada");
        assertThat(expiredHandedOut.get()).isEqualTo(1);
        assertThat(tap.unauthorized.get()).as("the expired token was refused once").isEqualTo(1);
        assertThat(suppliedTokens.get()).as("asked per request").isEqualTo(tap.serviceCalls.get());
        assertThat(tap.partPuts.get()).as("the expired URL's PUT was refused and sent again").isEqualTo(6);
        String objectKey = storage.objectKey(UUID.fromString(result.fileId()));
        assertThat(TestFiles.sha256Hex(storage.object(objectKey)))
                .isEqualTo(TestFiles.sha256Hex(Files.readAllBytes(file.toPath())));
    }
}
