package com.qiledger.api.platform;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A bearer token as presented (unauthenticated, holding the token) or as recognised (holding
 * only its roles: the token itself is dropped). Its name is the role, e.g. {@code operator}: a
 * token stands for a role, not a person. {@link #toString()} never shows the token.
 */
public final class BearerAuthentication extends AbstractAuthenticationToken {

    private final Set<Role> roles;
    private String token;

    private BearerAuthentication(String token, Set<Role> roles) {
        super(roles.stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList());
        this.token = token;
        this.roles = roles.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        setAuthenticated(!roles.isEmpty());
    }

    static BearerAuthentication presented(String token) {
        return new BearerAuthentication(token, Collections.emptySet());
    }

    static BearerAuthentication recognised(Set<Role> roles) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a recognised token has a role");
        }
        return new BearerAuthentication(null, roles);
    }

    public Set<Role> roles() {
        return roles;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return roles.isEmpty() ? "unrecognised" : roles.stream().map(Role::label).collect(Collectors.joining("+"));
    }

    @Override
    public void eraseCredentials() {
        token = null;
        super.eraseCredentials();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BearerAuthentication that && super.equals(that) && roles.equals(that.roles);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + roles.hashCode();
    }

    @Override
    public String toString() {
        return "BearerAuthentication[" + getPrincipal() + "]";
    }
}
