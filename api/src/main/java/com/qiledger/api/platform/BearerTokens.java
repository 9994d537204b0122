package com.qiledger.api.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The configured bearer tokens, kept only as SHA-256 digests. A presented token is digested and
 * compared with every role's digest in constant time ({@link MessageDigest#isEqual}); comparing
 * equal-length digests means neither the content nor the length of a token leaks through timing,
 * and every role is compared whatever the outcome. Tokens are never logged nor printed.
 */
public final class BearerTokens {

    private final Map<Role, byte[]> digests;

    private BearerTokens(Map<Role, byte[]> digests) {
        this.digests = digests;
    }

    public static BearerTokens of(LedgerProperties.Tokens tokens) {
        Map<Role, byte[]> digests = new EnumMap<>(Role.class);
        if (tokens != null) {
            put(digests, Role.AUDITOR, tokens.auditor());
            put(digests, Role.FINANCE, tokens.finance());
            put(digests, Role.OPERATOR, tokens.operator());
        }
        return new BearerTokens(digests);
    }

    private static void put(Map<Role, byte[]> digests, Role role, String token) {
        if (token != null && !token.isBlank()) {
            digests.put(role, sha256(token.strip()));
        }
    }

    /** The roles that have a token; the others cannot be used. */
    public Set<Role> configuredRoles() {
        return digests.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(digests.keySet()));
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /**
     * The roles whose token this is; empty when it is no configured token. A token set for two
     * roles grants both.
     */
    public Set<Role> rolesOf(String presented) {
        if (presented == null) {
            return Collections.emptySet();
        }
        byte[] digest = sha256(presented);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Map.Entry<Role, byte[]> entry : digests.entrySet()) {
            // no early exit: every configured role is compared
            if (MessageDigest.isEqual(digest, entry.getValue())) {
                roles.add(entry.getKey());
            }
        }
        return roles;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokens" + configuredRoles();
    }
}
