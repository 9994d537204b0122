package com.qiledger.api.platform;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may do what, as API.md's role table says: the first rule that matches a request decides;
 * a request no rule matches is denied. The security filter chain enforces this table and the
 * OpenAPI description documents it, so the two cannot drift apart.
 */
public final class AccessRules {

    private static final Set<Role> AUDITOR = EnumSet.of(Role.AUDITOR, Role.OPERATOR);
    private static final Set<Role> FINANCE = EnumSet.of(Role.FINANCE);
    private static final Set<Role> OPERATOR = EnumSet.of(Role.OPERATOR);
    private static final Set<Role> AUDITOR_OR_FINANCE = EnumSet.of(Role.AUDITOR, Role.FINANCE, Role.OPERATOR);

    /** The service's table. An operator may also read what an auditor reads. */
    public static final AccessRules STANDARD = new AccessRules(List.of(
            Rule.open(HttpMethod.GET, "/actuator/health", "/actuator/health/**"),
            Rule.roles(HttpMethod.GET, OPERATOR, "/actuator/prometheus"),
            Rule.open(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
                    "/webjars/**"),
            // the provider's own signature scheme authenticates intake, not a bearer token
            Rule.open(HttpMethod.POST, "/webhooks/qitech"),
            // the web console's page shell and assets hold no data: every call it makes to /api/v1 needs a token
            Rule.open(HttpMethod.GET, "/console", "/console/**"),
            // who a token is, and finding an entity or receipt by what a person has in hand (the console's search)
            Rule.roles(HttpMethod.GET, AUDITOR_OR_FINANCE, "/api/v1/me", "/api/v1/lookup"),
            Rule.roles(null, OPERATOR, "/api/v1/nodes", "/api/v1/projections", "/api/v1/projections/**", "/api/v1/dead-letters",
                    "/api/v1/dead-letters/**"),
            Rule.roles(HttpMethod.GET, AUDITOR, "/api/v1/audit/**", "/api/v1/receipts/*/signature"),
            Rule.roles(HttpMethod.GET, OPERATOR, "/api/v1/receipts"),
            // partner calls on debts (issue 22): asking the provider, and what it answered
            Rule.roles(HttpMethod.POST, OPERATOR, "/api/v1/debts/*/cancel-permanently",
                    "/api/v1/debts/*/change-disbursement-date"),
            Rule.roles(HttpMethod.GET, OPERATOR, "/api/v1/debts/*/requests", "/api/v1/debts/*/requests/*",
                    "/api/v1/partner-requests"),
            Rule.roles(HttpMethod.POST, OPERATOR, "/api/v1/receipts/*/redrive"),
            // completeness against the provider (issue 28): the report is the auditor's, the sweeps the operator's
            Rule.roles(null, OPERATOR, "/api/v1/completeness/sweeps"),
            Rule.roles(HttpMethod.GET, AUDITOR, "/api/v1/completeness"),
            Rule.roles(HttpMethod.GET, AUDITOR, "/api/v1/receipts/*", "/api/v1/receipts/*/body"),
            // the double-entry journal: finance and auditors (ahead of the finance-only reports and of asOf)
            Rule.roles(HttpMethod.GET, AUDITOR_OR_FINANCE, "/api/v1/journal", "/api/v1/accounts",
                    "/api/v1/accounts/*/statement", "/api/v1/reports/trial-balance"),
            Rule.roles(HttpMethod.GET, FINANCE, "/api/v1/reports/**", "/api/v1/ledger/**"),
            Rule.roles(HttpMethod.GET, AUDITOR, "/api/v1/*/*/history"),
            Rule.roles(HttpMethod.GET, AUDITOR, "/api/v1/*/*").withQueryParameter("asOf"),
            Rule.roles(HttpMethod.GET, AUDITOR_OR_FINANCE, "/api/v1/*/*")));

    private final List<Rule> rules;

    AccessRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The decision for one request; {@link Access#DENIED} when no rule matches. */
    public Access decide(HttpMethod method, PathContainer path, MultiValueMap<String, String> query) {
        for (Rule rule : rules) {
            if (rule.matches(method, path, query)) {
                return rule.access();
            }
        }
        return Access.DENIED;
    }

    public Access decide(HttpMethod method, String path, MultiValueMap<String, String> query) {
        return decide(method, PathContainer.parsePath(path), query);
    }

    /** Open (no token), restricted to some roles, or denied to everyone. */
    public record Access(boolean open, Set<Role> roles) {

        public static final Access OPEN = new Access(true, Collections.emptySet());
        public static final Access DENIED = new Access(false, Collections.emptySet());

        public Access {
            roles = roles.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        }

        public boolean denied() {
            return !open && roles.isEmpty();
        }

        public boolean allows(Set<Role> held) {
            return open || held.stream().anyMatch(roles::contains);
        }
    }

    /** One line of the table: a method (any when null), path patterns, and a query parameter it needs. */
    record Rule(HttpMethod method, List<PathPattern> patterns, String queryParameter, Access access) {

        static Rule open(HttpMethod method, String... patterns) {
            return new Rule(method, parse(patterns), null, Access.OPEN);
        }

        static Rule roles(HttpMethod method, Set<Role> roles, String... patterns) {
            return new Rule(method, parse(patterns), null, new Access(false, roles));
        }

        Rule withQueryParameter(String name) {
            return new Rule(method, patterns, name, access);
        }

        boolean matches(HttpMethod requested, PathContainer path, MultiValueMap<String, String> query) {
            if (method != null && !method.equals(requested)
                    && !(HttpMethod.GET.equals(method) && HttpMethod.HEAD.equals(requested))) {
                return false;
            }
            if (queryParameter != null && (query == null || !query.containsKey(queryParameter))) {
                return false;
            }
            return patterns.stream().anyMatch(pattern -> pattern.matches(path));
        }

        private static List<PathPattern> parse(String... patterns) {
            return Arrays.stream(patterns).map(PathPatternParser.defaultInstance::parse).toList();
        }
    }
}
