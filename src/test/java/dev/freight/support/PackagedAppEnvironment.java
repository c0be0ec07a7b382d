package dev.freight.support;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a user gives the packaged app to run it against S3- and DynamoDB-compatible servers, as the
 * docs/deployment.md's "Running the packaged app" shows: endpoints, region, static credentials, provisioning, no auth.
 */
public final class PackagedAppEnvironment {

    private PackagedAppEnvironment() {
    }

    public static Map<String, String> forStorage(URI s3, URI dynamoDb, String accessKey, String secretKey, int port) {
        Map<String, String> env = new HashMap<>();
        for (String client : List.of("S3", "DYNAMODB")) {
            env.put("QUARKUS_" + client + "_ENDPOINT_OVERRIDE", (client.equals("S3") ? s3 : dynamoDb).toString());
            env.put("QUARKUS_" + client + "_AWS_REGION", "us-east-1");
            env.put("QUARKUS_" + client + "_AWS_CREDENTIALS_TYPE", "static");
            env.put("QUARKUS_" + client + "_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", accessKey);
            env.put("QUARKUS_" + client + "_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", secretKey);
        }
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        env.put("FREIGHT_STORAGE_PROVISION", "true");
        env.put("FREIGHT_AUTH_ENABLED", "false");
        // With auth off every caller is one owner; the benchmarks open more uploads than the default quota.
        env.put("FREIGHT_QUOTA_MAX_OPEN_UPLOADS", "1000000");
        env.put("FREIGHT_QUOTA_MAX_OPEN_BYTES", "1125899906842624");
        // A key of its own, as a deployment sets one (the packaged app refuses to start without).
        byte[] tokenKey = new byte[32];
        new java.security.SecureRandom().nextBytes(tokenKey);
        env.put("FREIGHT_UPLOAD_TOKEN_KEYS", java.util.Base64.getEncoder().encodeToString(tokenKey));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return env;
    }
}
