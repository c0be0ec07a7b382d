package dev.freight.client;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What follows a failed request: one rule for service calls ({@link ServiceApi}), part uploads ({@link UploadTask})
 * and downloads ({@link Downloader}), the page's {@code shouldRetry} in Java. Both are held to the shared vectors
 * {@code src/test/vectors/retry-decisions.json} and {@code storage-errors.json}.
 */
final class RetryDecision {

    /** What a failure calls for. */
    enum Action {
        /** The same request again after a backoff. */
        RETRY,
        /** The same request again after the wait the answer asks (429, 503: "slow down"). */
        THROTTLE,
        /** Storage refused the URL (expired, signature, clock skew): have it signed again. */
        RESIGN,
        /** Storage refused the bytes: read and hash the part again, once. */
        REHASH,
        /** The service refused the token: ask the token supplier for a fresh one. */
        REAUTHORIZE,
        /** Final. */
        FAIL
    }

    // Storage's words, sorted by remedy (S3 API Reference, "Error responses":
    // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
    /** 400s saying the bytes are not the ones the URL was signed for. */
    private static final Set<String> REFUSED_BYTES = new HashSet<>(Arrays.asList("BadDigest", "InvalidDigest",
            "InvalidRequest", "XAmzContentSHA256Mismatch", "IncompleteBody", "InvalidChecksum"));
    /** 400s saying the URL's credentials ended ("The provided token has expired."). */
    private static final Set<String> EXPIRED_CREDENTIALS = new HashSet<>(Arrays.asList("ExpiredToken",
            "TokenRefreshRequired"));
    private static final Pattern S3_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern S3_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private RetryDecision() {
    }

    /** A Freight API answer with this status (>= 300). */
    static Action forService(int status) {
        if (status == 401) {
            return Action.REAUTHORIZE;
        }
        return transientStatus(status) ? slowDownOrRetry(status) : Action.FAIL;
    }

    /** Storage's answer to a part PUT or GET: its status and S3's {@code <Code>} (null when none). */
    static Action forStorage(int status, String code) {
        // S3 answers a stalled body 400 RequestTimeout ("Your socket connection to the server was not read from or
        // written to within the timeout period"), which AWS's SDKs retry.
        if (transientStatus(status) || "RequestTimeout".equals(code)) {
            return slowDownOrRetry(status);
        }
        if (status == 403 || code != null && EXPIRED_CREDENTIALS.contains(code)) {
            return Action.RESIGN;
        }
        if (status == 400 && (code == null || REFUSED_BYTES.contains(code))) {
            return Action.REHASH;
        }
        return Action.FAIL;
    }

    /**
     * The wait before try {@code attempt + 1} after try {@code attempt} (counted from 1) failed transiently, or -1
     * when it was the last try the policy allows.
     */
    static long waitAfter(int attempt, String retryAfter, RetryPolicy policy) {
        return attempt >= policy.maxAttempts() ? -1 : policy.delayMillis(attempt, retryAfter);
    }

    /** S3's error {@code <Code>} in an answer's body, or null. */
    static String storageCode(String body) {
        return match(S3_CODE, body);
    }

    /** S3's error {@code <Message>} in an answer's body, or null. */
    static String storageMessage(String body) {
        return match(S3_MESSAGE, body);
    }

    private static boolean transientStatus(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static Action slowDownOrRetry(int status) {
        return status == 429 || status == 503 ? Action.THROTTLE : Action.RETRY;
    }

    private static String match(Pattern pattern, String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = pattern.matcher(text);
        return matcher.find() && !matcher.group(1).isEmpty() ? matcher.group(1) : null;
    }
}
