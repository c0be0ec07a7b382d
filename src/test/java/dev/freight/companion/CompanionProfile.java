package dev.freight.companion;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The Companion routes' tests: browser POST forms of at most 1 MiB that settle within seconds, 40 MiB of open bytes
 * per owner, and web app origins allowed by CORS (the Uppy pages of the browser tests are served under it).
 */
public class CompanionProfile implements QuarkusTestProfile {

    /** A web app's origin allowed by CORS. */
    public static final String APP_ORIGIN = "http://localhost:9";
    /** The browser tests' Uppy app: served on a free port of 127.0.0.1, so allowed by pattern. */
    public static final String LOCAL_APP_ORIGINS = "/http://127\\.0\\.0\\.1:[0-9]+/";
    public static final int POST_MAX_SIZE = 1024 * 1024;
    /** Room for the suites' files (26 MiB at most), not for a 45 MiB one. */
    public static final long MAX_OPEN_BYTES = 40L * 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "freight.companion.post-max-size", Integer.toString(POST_MAX_SIZE),
                "freight.companion.post-ttl", "PT8S",
                "freight.upload.sweep-interval", "1h",
                "freight.quota.max-open-bytes", Long.toString(MAX_OPEN_BYTES),
                "quarkus.http.cors.origins", APP_ORIGIN + "," + LOCAL_APP_ORIGINS);
    }
}
