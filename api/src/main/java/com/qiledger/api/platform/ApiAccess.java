package com.qiledger.api.platform;

import java.util.Set;

/**
 * How the read API is guarded: by bearer tokens, or open (no token configured, which only the
 * embedded default or an explicit {@code ledger.security.open=true} allows).
 */
public record ApiAccess(boolean open, BearerTokens tokens) {

    public static ApiAccess openToEveryone() {
        return new ApiAccess(true, BearerTokens.of(null));
    }

    public static ApiAccess byTokens(BearerTokens tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("guarding by tokens needs at least one token");
        }
        return new ApiAccess(false, tokens);
    }

    /** Whether a request holding these roles may pass a rule of the access table. */
    public boolean allows(AccessRules.Access access, Set<Role> held) {
        if (access.denied()) {
            return false;
        }
        return open || access.allows(held);
    }
}
