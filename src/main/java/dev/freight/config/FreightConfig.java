package dev.freight.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of Freight itself (the {@code freight.*} keys, or {@code FREIGHT_*} environment variables). */
@ConfigMapping(prefix = "freight")
public interface FreightConfig {

    Storage storage();

    Upload upload();

    Embedded embedded();

    Auth auth();

    Quota quota();

    Listing listing();

    Companion companion();

    /** The routes Uppy's S3 plugin calls unchanged (Companion's protocol, under {@code /companion}). */
    interface Companion {
        /**
         * How long a Companion base URL issued by {@code POST /api/companion/capabilities} works: uploads started
         * through it keep going only while it does (the app asks for a fresh one after a reload).
         */
        @WithDefault("PT4H")
        Duration capabilityTtl();

        /**
         * The largest file a browser POST form ({@code GET /companion/s3/params}) may send, in bytes: the form's
         * {@code content-length-range} and what the upload counts against the open-bytes quota until the file arrives.
         * Uppy uses the form for files up to 100 MiB; S3 takes at most 5 GiB in one POST. Capped by
         * {@code freight.upload.max-file-size}.
         */
        @WithDefault("104857600")
        long postMaxSize();

        /** How long a browser POST form stays valid; the sweeper settles the upload this long after it expires. */
        @WithDefault("PT15M")
        Duration postTtl();
    }

    Webhooks webhooks();

    /**
     * Events of every upload state change, delivered as signed webhooks (Standard Webhooks), and the pre-create hook
     * (docs/webhooks.md).
     */
    interface Webhooks {
        /**
         * Receivers by name ({@code freight.webhooks.endpoints.<name>.url}, {@code .secrets}, {@code .event-types}):
         * none by default. A name keeps an endpoint's state (disabled after 410) across restarts.
         */
        java.util.Map<String, Endpoint> endpoints();

        /**
         * Waits between attempts, the first before the first attempt (the Standard Webhooks example schedule, cut at
         * about a day); each later wait gets up to 10 % jitter. After the last attempt an event is dead-lettered.
         */
        @WithDefault("0S,5S,5M,30M,2H,5H,10H,10H")
        java.util.List<Duration> retrySchedule();

        /** How long one delivery may take, connection included (the specification recommends 15 to 30 s). */
        @WithDefault("15S")
        Duration timeout();

        /** Deliveries one instance runs at once. */
        @WithDefault("8")
        int senders();

        /** Deliveries waiting for a sender; beyond it an event waits for the lease holder's next pass. */
        @WithDefault("1000")
        int queueSize();

        /** How often the lease holder looks for events that are due (retries, and those a dead instance left). */
        @WithDefault("5s")
        String pollInterval();

        /**
         * How long the writing instance has an event to itself for its first attempt; past it, any lease holder
         * takes it (the instance died, or its queue was full).
         */
        @WithDefault("60S")
        Duration claim();

        /**
         * Bearer credential of the operators' endpoints ({@code /api/admin/webhooks/...}), at least 32 characters;
         * without it those endpoints answer 404.
         */
        Optional<String> adminToken();

        PreCreate preCreate();
    }

    /** One webhook receiver. */
    interface Endpoint {
        /** Where events are POSTed. */
        String url();

        /** {@code whsec_} secrets (base64, 24+ bytes), the current first; each signs (rotation). Required. */
        Optional<java.util.List<String>> secrets();

        /** Event types sent to it ({@code upload.created}, ...); all when absent. */
        Optional<java.util.List<String>> eventTypes();
    }

    /** A URL asked before an init creates anything; its answer allows (maybe adding metadata) or refuses. */
    interface PreCreate {
        /** The hook's URL; no hook when absent. */
        Optional<String> url();

        /** {@code whsec_} secrets signing the hook's requests; required with a URL. */
        Optional<java.util.List<String>> secrets();

        /** How long an init waits for the hook's answer. */
        @WithDefault("5S")
        Duration timeout();

        /** What an init does when the hook does not answer in time or answers something else: refuse or allow. */
        @WithDefault("refuse")
        String onNoAnswer();
    }

    /**
     * How much one owner may hold open at once (uploads in {@code uploading}, each billed for its parts until it
     * ends). Counted in DynamoDB per owner, in the same transaction as the upload record, so every instance sees
     * the same count. With authentication off every caller is one owner, so a cap would hold for the whole service:
     * there the caps apply only when configured; with authentication on an unset cap takes its default.
     */
    interface Quota {
        /** Uploads one owner may have in {@code uploading} at once (default with auth on: 100; auth off: none). */
        Optional<Long> maxOpenUploads();

        /**
         * Sum of the declared {@code file_size} of one owner's {@code uploading} uploads, in bytes (default with auth
         * on: 5 TiB; auth off: none).
         */
        Optional<Long> maxOpenBytes();

        /**
         * Files one owner may keep: its uploaded files plus its open uploads, checked at init (the new file counts).
         * 0, the default, sets no cap. Read from the owner's counters before storage is touched; inits racing each
         * other may pass it together (the open-upload caps above are exact).
         */
        @WithDefault("0")
        long maxStoredFiles();

        /**
         * Bytes one owner may keep: the sizes of its uploaded files plus the declared sizes of its open uploads,
         * checked at init (the new file's declared size counts). 0, the default, sets no cap; checked as
         * {@link #maxStoredFiles()} is.
         */
        @WithDefault("0")
        long maxStoredBytes();

        /**
         * Counter items each owner's open-upload quota is spread over at most (write sharding: each holds a share of
         * the caps, a full one spills to another), so one counter item takes about 1/N of an owner's inits and
         * endings. An owner with small caps uses fewer (no more than its upload cap; see docs/reliability.md "Quota
         * counters"). Every instance needs the same value; after it grows run the quota-shard backfill.
         */
        @WithDefault("1024")
        int counterShards();
    }

    /** The upload listing ({@code GET /api/upload}). */
    interface Listing {
        /**
         * Key that authenticates {@code next_token} (HMAC-SHA256; at least 32 characters, from a secret store). Every
         * instance needs the same key: required outside dev mode and tests (start-up refuses without one, or with an
         * example's placeholder). In dev mode and tests, when absent, the instance draws a random key at start-up.
         */
        Optional<String> tokenKey();

        /** Keys accepted besides {@code token-key} while tokens signed with them may still be in use (rotation). */
        Optional<java.util.List<String>> previousTokenKeys();
    }

    /** Who may call the API. */
    interface Auth {
        /**
         * Require a Bearer JWT (verified with the standard {@code mp.jwt.verify.*} settings) on every {@code /api}
         * call; its subject owns the uploads it starts. Off only where no identity provider exists (dev, tests).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Verified bearer tokens remembered until their expiry, so a client's next calls with the same token skip
         * the signature and claim checks; at most this many (the least used go first). 0 turns the cache off.
         */
        @WithDefault("4096")
        int verifiedTokenCacheSize();
    }

    /** Where uploads live. */
    interface Storage {
        /** S3 bucket holding parts and assembled objects. */
        @WithDefault("freight-uploads")
        String bucket();

        /** DynamoDB table holding upload metadata. */
        @WithDefault("freight-uploads")
        String table();

        /** Create the bucket and the table at start-up when they are missing (on in dev and test, off in prod). */
        @WithDefault("false")
        boolean provision();

        /**
         * At start-up, give records written by earlier versions (without the sharded owner index's keys) those keys,
         * and the open-uploads index's while they are open, so they are listed from the sharded indexes (docs/operations.md;
         * needs {@code dynamodb:Scan} and {@code dynamodb:UpdateItem}). Run once, then turn off.
         */
        @WithDefault("false")
        boolean backfillListing();

        /**
         * Shards of one owner's partition in the owner index and the open-uploads index: an owner's writes spread over
         * this many index partitions (each takes 1,000 write units a second on AWS), and a listing reads every shard.
         * May grow; never shrink it (records in the dropped shards would no longer be listed).
         */
        @WithDefault("64")
        int ownerIndexShards();

        /**
         * At start-up, give {@code uploading} records written before the deadline index existed its keys, so the
         * repair job finds them once they pass their deadline (docs/operations.md; needs {@code dynamodb:Scan}). Run
         * once, then turn off.
         */
        @WithDefault("false")
        boolean backfillDeadlines();

        /**
         * At start-up, take the TTL off unfinished records that hold quota (written by versions that gave them one),
         * so DynamoDB never deletes a record whose quota is still counted (docs/operations.md "Migrations"; needs
         * {@code dynamodb:Scan}). Run once, then turn off.
         */
        @WithDefault("false")
        boolean backfillQuotaTtl();

        /**
         * At start-up, move counts from quota counter shards above their share onto shards with room, for every
         * owner: once after upgrading from the single counter per owner, and after {@code counter-shards} grew
         * (docs/operations.md "Migrations"; needs {@code dynamodb:Scan}). Run once, then turn off.
         */
        @WithDefault("false")
        boolean backfillQuotaShards();

        /**
         * Partitions of the deadline index: each unfinished record lands on one (from its file id), and the repair
         * visits each under its own lease. At least 16 (what earlier versions wrote); it may grow, never shrink
         * (records on the shards left out would no longer be found).
         */
        @WithDefault("64")
        int deadlineShards();

        /**
         * Attempts the DynamoDB client makes per call, the first included, before the request answers 503: a small
         * budget, so a throttled call frees its worker in about a second instead of the SDK's default window.
         */
        @WithDefault("3")
        int dynamodbMaxAttempts();

        /**
         * Shortest {@code Retry-After} of a 503 (storage unavailable or throttling). Each answer draws a whole number
         * of seconds uniformly between this and {@code retry-after-max}, so refused clients do not return in waves.
         */
        @WithDefault("1S")
        Duration retryAfterMin();

        /** Longest {@code Retry-After} of a 503; see {@code retry-after-min}. */
        @WithDefault("5S")
        Duration retryAfterMax();
    }

    /** How files are split and how long signed URLs live. */
    interface Upload {
        /** Part size used when the client does not wish for one; grows for files that would need more than 10,000 parts. */
        @WithDefault("16777216")
        long defaultPartSize();

        /** Smallest part size the server hands out (S3 allows 5 MiB). */
        @WithDefault("5242880")
        long minPartSize();

        /** Largest part size the server hands out (S3 allows 5 GiB). */
        @WithDefault("5368709120")
        long maxPartSize();

        /** Largest file accepted, in bytes (S3 allows 5 TiB). */
        @WithDefault("5497558138880")
        long maxFileSize();

        /** Lifetime of each presigned URL (S3 allows at most 7 days). */
        @WithDefault("PT1H")
        Duration urlTtl();

        /** How many part URLs one init or refresh_urls answer carries at most. */
        @WithDefault("100")
        int urlBatchSize();

        /**
         * How many part URLs one {@code GET /api/download/{file_id}?parts=true} answer carries at most; the answer's
         * {@code next_part} is the {@code first_part} of the next page.
         */
        @WithDefault("1000")
        int downloadBatchSize();

        /** Media types accepted for {@code file_type} ({@code video/*} style wildcards); any valid type when absent. */
        Optional<java.util.List<String>> allowedFileTypes();

        /** How long an unfinished upload stays resumable before it counts as abandoned. */
        @WithDefault("P7D")
        Duration expireAfter();

        /** How long the record of an abandoned or aborted upload is kept before DynamoDB's TTL removes it. */
        @WithDefault("P1D")
        Duration endedRetention();

        /**
         * Keys (base64, at least 32 bytes each) that authenticate {@code upload_token}s: the first signs new tokens,
         * each of at most two verifies, so a key rotates by listing {@code new,old} until the old tokens expired.
         * Every instance needs the same keys. Required outside dev and tests (start-up refuses without one).
         */
        Optional<java.util.List<String>> tokenKeys();

        /**
         * How often the sweeper runs (Quarkus scheduler syntax, e.g. 15m): one instance at a time holds its lease for
         * this long, so the sweep runs about once per interval however many instances there are.
         */
        @WithDefault("15m")
        String sweepInterval();

        /** Pages (up to 1,000 uploads each) of S3's open multipart uploads one sweep reads; the next run goes on. */
        @WithDefault("10")
        int sweepMaxPages();

        /**
         * Records past their deadline one sweep settles at most per deadline-index shard (each: an abort, a HEAD, a
         * write); the rest wait for the next sweep.
         */
        @WithDefault("2000")
        int sweepMaxRepairs();

        /**
         * Threads of one instance that settle records past their deadline at once, each holding one deadline-index
         * shard's lease, so a backlog is worked on in parallel (and across instances).
         */
        @WithDefault("2")
        int repairWorkers();

        /**
         * How long a complete call waits for storage to assemble the file before it answers 202 {@code completing}
         * (the assembly goes on; the client polls the status). Below the HTTP timeouts in front of the service.
         */
        @WithDefault("20S")
        Duration completeWait();

        /**
         * How long one assembly may take in storage (S3 may take minutes for thousands of parts). A
         * {@code completing} upload older than this is taken as abandoned by its instance: the next complete
         * starts the assembly again.
         */
        @WithDefault("15M")
        Duration completeTimeout();
    }

    /** In-process S3Proxy and Freight's DynamoDB engine for dev mode (their classes are never packaged). */
    interface Embedded {
        /** Start the embedded backends (read at build time: only dev mode turns it on). */
        @WithDefault("false")
        boolean enabled();

        /** Port of the embedded S3 endpoint. */
        @WithDefault("8008")
        int s3Port();

        /** Port of the embedded DynamoDB endpoint. */
        @WithDefault("8009")
        int dynamodbPort();

        /** Directory holding the embedded data so uploads survive restarts; in memory when absent. */
        Optional<String> dataDir();

        /** Browser origins the embedded S3 answers CORS requests for, beside the app's own and the API's CORS origins. */
        Optional<java.util.List<String>> corsOrigins();
    }
}
