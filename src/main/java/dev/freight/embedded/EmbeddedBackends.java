package dev.freight.embedded;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.freight.config.FreightConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts S3Proxy and Freight's DynamoDB engine inside the app in dev mode, so {@code ./mvnw quarkus:dev} needs no Docker and
 * no cloud account. Removed at build time unless {@code freight.embedded.enabled} is true (only the dev profile).
 */
@ApplicationScoped
@IfBuildProperty(name = "freight.embedded.enabled", stringValue = "true")
public class EmbeddedBackends {

    private EmbeddedS3 s3;
    private EmbeddedDynamoDb dynamoDb;

    void onStart(@Observes @Priority(10) StartupEvent start, FreightConfig config,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.access-key-id") String accessKey,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.secret-access-key") String secretKey,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> apiOrigins)
            throws Exception {
        FreightConfig.Embedded embedded = config.embedded();
        Path dataDir = embedded.dataDir().map(Path::of).orElse(null);
        long began = System.nanoTime();
        // The page served by the app uploads straight to this S3, so the app's own origin must be allowed.
        Set<String> origins = new LinkedHashSet<>(List.of("http://localhost:" + httpPort, "http://127.0.0.1:" + httpPort));
        apiOrigins.ifPresent(origins::addAll);
        embedded.corsOrigins().ifPresent(origins::addAll);
        s3 = EmbeddedS3.start(dataDir == null ? null : dataDir.resolve("s3"), embedded.s3Port(), accessKey, secretKey,
                List.copyOf(origins));
        dynamoDb = EmbeddedDynamoDb.start(dataDir == null ? null : dataDir.resolve("dynamodb"), embedded.dynamodbPort());
        Log.infof("Embedded S3 at %s and DynamoDB at %s started in %d ms (data in %s)", s3.endpoint(),
                dynamoDb.endpoint(), (System.nanoTime() - began) / 1_000_000,
                dataDir == null ? "memory" : dataDir.toAbsolutePath());
    }

    void onStop(@Observes ShutdownEvent stop) throws Exception {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }
}
