package dev.freight.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

import org.jboss.logmanager.Logger;

import io.vertx.core.Vertx;

/**
 * An S3-compatible server in this process: S3Proxy (SigV4 checked, CORS open to the given origins, on disk or in
 * memory) behind {@link AwsRulesGateway}, which holds it to AWS S3's multipart checksum rules where S3Proxy is
 * lenient. For dev mode and tests only; S3Proxy's library is never packaged.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private final BlobStore blobStore;
    private final String accessKey;
    private final String secretKey;
    private final CrossOriginResourceSharing cors;
    private final List<String> corsOrigins;
    private final MultipartChecksumRules rules;
    private int port;
    private S3Proxy proxy;
    private Vertx vertx;
    private AwsRulesGateway gateway;

    private EmbeddedS3(BlobStore blobStore, String accessKey, String secretKey, CrossOriginResourceSharing cors,
            List<String> corsOrigins, MultipartChecksumRules rules, int port) {
        this.blobStore = blobStore;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.cors = cors;
        this.corsOrigins = List.copyOf(corsOrigins);
        this.rules = rules;
        this.port = port;
    }

    /**
     * @param dataDir where objects live so they survive restarts, or null to keep them in memory
     * @param port the port to listen on, 0 for any free one
     */
    public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey, List<String> corsOrigins)
            throws Exception {
        quietDebugLogging();
        Properties properties = new Properties();
        String provider = "transient";
        Path rulesState = null;
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
            provider = "filesystem";
            // Beside the blob store, not in it: a folder inside would be a bucket.
            rulesState = dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + "-checksums");
        }
        CrossOriginResourceSharing cors = new CrossOriginResourceSharing(corsOrigins,
                List.of("GET", "PUT", "HEAD", "POST", "DELETE"), List.of("*"), List.of("ETag", "x-amz-checksum-sha256"),
                "false");
        EmbeddedS3 s3 = new EmbeddedS3(BlobStores.create(provider, properties), accessKey, secretKey, cors,
                corsOrigins, new MultipartChecksumRules(rulesState), port);
        s3.serve(port);
        return s3;
    }

    /**
     * Outside Quarkus' logging set-up (benchmark storage, tests' storage processes) JBoss LogManager leaves every
     * level on, and S3Proxy's Jetty then formats a debug message, buffer dumps included, for each chunk it reads:
     * ~89 % of the storage's CPU in a profile of a 1 GiB upload, 3-4x its CPU per GiB. A level someone configured
     * (dev mode's {@code quarkus.log.category}) is kept.
     */
    private static void quietDebugLogging() {
        for (String category : List.of("org.gaul", "org.jclouds")) {
            Logger logger = Logger.getLogger(category);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.INFO);
            }
        }
    }

    /** Starts answering again on the same port with the same objects (after {@link #close()}): outage tests. */
    public void restart() throws Exception {
        serve(port);
    }

    /** The AWS rules in front of S3Proxy, and what they keep about each multipart upload. */
    public MultipartChecksumRules rules() {
        return rules;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        proxy.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void serve(int listenPort) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .corsRules(cors)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        vertx = Vertx.vertx();
        gateway = new AwsRulesGateway(vertx, proxy.getPort(), rules, corsOrigins);
        port = gateway.listen(listenPort);
    }
}
