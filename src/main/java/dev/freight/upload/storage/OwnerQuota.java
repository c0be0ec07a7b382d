package dev.freight.upload.storage;

import dev.freight.config.FreightConfig;

/**
 * The caps one owner's open uploads are held to. With authentication off every caller is the one owner
 * {@code anonymous}, so a per-owner default would cap the whole deployment (init #101 answered 403): there only a
 * configured cap applies. With authentication on an unset cap takes its default. The stored caps
 * ({@code maxStoredFiles}, {@code maxStoredBytes}) are off (0) unless configured, whatever the authentication.
 */
public record OwnerQuota(long maxOpenUploads, long maxOpenBytes, long maxStoredFiles, long maxStoredBytes) {

    public static final long DEFAULT_MAX_OPEN_UPLOADS = 100;
    /** 5 TiB, S3's largest object: one upload of any allowed size fits. */
    public static final long DEFAULT_MAX_OPEN_BYTES = 5L << 40;
    /** No cap: the counters still count, nothing is refused. */
    static final long NONE = Long.MAX_VALUE;

    /** Whether no cap at all applies: the counters still count, but nothing can be refused. */
    boolean uncapped() {
        return maxOpenUploads == NONE && maxOpenBytes == NONE && maxStoredFiles == 0 && maxStoredBytes == 0;
    }

    public static OwnerQuota of(FreightConfig config) {
        boolean perPerson = config.auth().enabled();
        return new OwnerQuota(
                config.quota().maxOpenUploads().orElse(perPerson ? DEFAULT_MAX_OPEN_UPLOADS : NONE),
                config.quota().maxOpenBytes().orElse(perPerson ? DEFAULT_MAX_OPEN_BYTES : NONE),
                config.quota().maxStoredFiles(), config.quota().maxStoredBytes());
    }
}
