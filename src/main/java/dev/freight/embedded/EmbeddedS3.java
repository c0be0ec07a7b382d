package dev.freight.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * An S3-compatible server in this process (S3Proxy): SigV4 checked, CORS open to the given origins, on disk or in
 * memory. For dev mode and tests only; its library is never packaged.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private final S3Proxy proxy;

    private EmbeddedS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /**
     * @param dataDir where objects live so they survive restarts, or null to keep them in memory
     * @param port the port to listen on, 0 for any free one
     */
    public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey, List<String> corsOrigins)
            throws Exception {
        Properties properties = new Properties();
        String provider = "transient";
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
            provider = "filesystem";
        }
        CrossOriginResourceSharing cors = new CrossOriginResourceSharing(corsOrigins,
                List.of("GET", "PUT", "HEAD", "POST", "DELETE"), List.of("*"), List.of("ETag", "x-amz-checksum-sha256"),
                "false");
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create(provider, properties))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .corsRules(cors)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new EmbeddedS3(proxy);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
