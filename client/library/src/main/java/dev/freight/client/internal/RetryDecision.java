package dev.freight.client.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.freight.client.RetryPolicy;

/**
 * What follows a failed request: one rule for service calls, part uploads and downloads, the page's
 * {@code shouldRetry} (retry-policy.js) in Java; {@link RetryLoop} applies it. Both are held to the shared vectors
 * {@code src/test/vectors/retry-decisions.json} and {@code storage-errors.json}.
 */
public final class RetryDecision {

    /** What a failure calls for. */
    public enum Action {
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

    /** URLs signed again after storage refused one (403), as the page's LIMITS.resign. */
    public static final int RESIGN_LIMIT = 3;
    /** Fresh reads and hashes after storage refused a part's bytes (400), as the page's LIMITS.rehash. */
    public static final int REHASH_LIMIT = 1;
    /** Fresh tokens asked after the service refused one (401). */
    public static final int REAUTHORIZE_LIMIT = 1;

    /** How often each remedy was tried for one request. */
    public static final class Tally {
        int retries;
        int resigns;
        int rehashes;
        int reauthorizations;

        public int retries() {
            return retries;
        }

        void count(Action action) {
            switch (action) {
                case RETRY:
                case THROTTLE:
                    retries++;
                    break;
                case RESIGN:
                    resigns++;
                    break;
                case REHASH:
                    rehashes++;
                    break;
                case REAUTHORIZE:
                    reauthorizations++;
                    break;
                default:
                    break;
            }
        }
    }

    /** A decision: the action, and the wait before the next try (0 when none). */
    public static final class Next {
        public final Action action;
        public final long waitMillis;

        Next(Action action, long waitMillis) {
            this.action = action;
            this.waitMillis = waitMillis;
        }
    }

    private RetryDecision() {
    }

    /** What follows {@code failure}, given the remedies tried so far: the page's {@code shouldRetry}. */
    public static Next next(Failure failure, Tally tally, RetryPolicy policy) {
        Action action = failure.ambiguous() ? Action.RETRY
                : failure.target() == Failure.Target.SERVICE ? forService(failure.status())
                : forStorage(failure.status(), failure.code());
        switch (action) {
            case RETRY:
            case THROTTLE:
                long wait = waitAfter(tally.retries + 1, failure.retryAfter(), policy);
                return wait < 0 ? new Next(Action.FAIL, 0) : new Next(action, wait);
            case RESIGN:
                return new Next(tally.resigns < RESIGN_LIMIT ? action : Action.FAIL, 0);
            case REHASH:
                return new Next(tally.rehashes < REHASH_LIMIT ? action : Action.FAIL, 0);
            case REAUTHORIZE:
                return new Next(tally.reauthorizations < REAUTHORIZE_LIMIT ? action : Action.FAIL, 0);
            default:
                return new Next(Action.FAIL, 0);
        }
    }

    /** A Freight API answer with this status (>= 300). */
    public static Action forService(int status) {
        if (status == 401) {
            return Action.REAUTHORIZE;
        }
        return transientStatus(status) ? slowDownOrRetry(status) : Action.FAIL;
    }

    /** Storage's answer to a part PUT or GET: its status and S3's {@code <Code>} (null when none). */
    public static Action forStorage(int status, String code) {
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
    public static long waitAfter(int attempt, String retryAfter, RetryPolicy policy) {
        return attempt >= policy.maxAttempts() ? -1 : policy.delayMillis(attempt, retryAfter);
    }

    /** S3's error {@code <Code>} in an answer's body, or null. */
    public static String storageCode(String body) {
        return match(S3_CODE, body);
    }

    /** S3's error {@code <Message>} in an answer's body, or null. */
    public static String storageMessage(String body) {
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
