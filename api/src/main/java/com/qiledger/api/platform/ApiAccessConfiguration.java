package com.qiledger.api.platform;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Resolves who may read, as the webhook authentication is resolved: tokens when any is set;
 * otherwise open on the embedded default with a warning at every start; on an external database
 * an implicit open stops start-up unless {@code ledger.security.open=true} says so explicitly.
 * Resolved in every kind of application (web or not), so a misconfigured node never starts.
 */
@Configuration(proxyBeanMethods = false)
public class ApiAccessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiAccessConfiguration.class);

    static final String OPEN_WARNING = "ledger.security.tokens.* unset: the read API is open; local development only";

    @Bean
    public ApiAccess apiAccess(LedgerProperties properties, Environment environment) {
        boolean embedded = !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
        ApiAccess access = resolve(properties.security(), embedded);
        if (access.open()) {
            log.warn(OPEN_WARNING);
        } else {
            Set<Role> set = access.tokens().configuredRoles();
            Set<Role> unset = EnumSet.complementOf(EnumSet.copyOf(set));
            log.info("read API guarded by bearer tokens for {}{}", labels(set),
                    unset.isEmpty() ? "" : "; no token for " + labels(unset) + ", so that role cannot be used");
            if (properties.security().open()) {
                log.warn("ledger.security.open=true is ignored: bearer tokens are set, so they are required");
            }
        }
        return access;
    }

    static ApiAccess resolve(LedgerProperties.Security security, boolean embeddedDatabase) {
        BearerTokens tokens = BearerTokens.of(security == null ? null : security.tokens());
        if (!tokens.isEmpty()) {
            return ApiAccess.byTokens(tokens);
        }
        if (embeddedDatabase || (security != null && security.open())) {
            return ApiAccess.openToEveryone();
        }
        throw new IllegalStateException("No bearer tokens are configured for the read API on an external database. "
                + "Set ledger.security.tokens.auditor, ledger.security.tokens.finance and "
                + "ledger.security.tokens.operator (LEDGER_SECURITY_TOKENS_AUDITOR, ..._FINANCE, ..._OPERATOR), or "
                + "leave the read API open explicitly with ledger.security.open=true.");
    }

    private static String labels(Set<Role> roles) {
        return roles.stream().map(Role::label).collect(Collectors.joining(", "));
    }
}
