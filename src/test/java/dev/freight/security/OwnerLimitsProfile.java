package dev.freight.security;

import java.util.HashMap;
import java.util.Map;

/** Authentication on, with small quotas and a configured listing-token key (and a previous one). */
public class OwnerLimitsProfile extends AuthEnabledProfile {

    public static final int MAX_OPEN_UPLOADS = 30;
    public static final long MAX_OPEN_BYTES = 100L << 20;
    public static final String TOKEN_KEY = "current-listing-key-0123456789abcdef";
    public static final String PREVIOUS_TOKEN_KEY = "previous-listing-key-0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("freight.quota.max-open-uploads", Integer.toString(MAX_OPEN_UPLOADS));
        overrides.put("freight.quota.max-open-bytes", Long.toString(MAX_OPEN_BYTES));
        overrides.put("freight.listing.token-key", TOKEN_KEY);
        overrides.put("freight.listing.previous-token-keys", PREVIOUS_TOKEN_KEY);
        return overrides;
    }
}
