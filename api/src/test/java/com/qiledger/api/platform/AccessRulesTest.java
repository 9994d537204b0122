package com.qiledger.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** API.md's role table, line by line. */
class AccessRulesTest {

    static final Set<Role> AUDITOR = EnumSet.of(Role.AUDITOR, Role.OPERATOR);
    static final Set<Role> READERS = EnumSet.allOf(Role.class);
    static final Set<Role> FINANCE = EnumSet.of(Role.FINANCE);
    static final Set<Role> OPERATOR = EnumSet.of(Role.OPERATOR);

    static AccessRules.Access get(String path) {
        return AccessRules.STANDARD.decide(HttpMethod.GET, path, new LinkedMultiValueMap<>());
    }

    static AccessRules.Access get(String path, String parameter) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add(parameter, "2024-01-01T00:00:00Z");
        return AccessRules.STANDARD.decide(HttpMethod.GET, path, query);
    }

    static AccessRules.Access post(String path) {
        return AccessRules.STANDARD.decide(HttpMethod.POST, path, new LinkedMultiValueMap<>());
    }

    @Test
    void currentStateIsForAuditorsFinanceAndOperators() {
        assertThat(get("/api/v1/bank-slips/k").roles()).isEqualTo(READERS);
        assertThat(get("/api/v1/debts/k", "minPosition").roles()).isEqualTo(READERS);
    }

    @Test
    void stateAsOfAnInstantAndHistoryAreForAuditors() {
        assertThat(get("/api/v1/bank-slips/k", "asOf").roles()).isEqualTo(AUDITOR);
        assertThat(get("/api/v1/bank-slips/k/history").roles()).isEqualTo(AUDITOR);
    }

    @Test
    void receiptsAreForAuditorsButTheirListAndRedriveForOperators() {
        assertThat(get("/api/v1/receipts/0b9e3c1e-5f0a-4d55-9a77-3c2f1f9e8a11").roles()).isEqualTo(AUDITOR);
        assertThat(get("/api/v1/receipts/0b9e3c1e-5f0a-4d55-9a77-3c2f1f9e8a11/body").roles()).isEqualTo(AUDITOR);
        assertThat(get("/api/v1/receipts").roles()).isEqualTo(OPERATOR);
        assertThat(get("/api/v1/receipts", "outcome").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/receipts/0b9e3c1e-5f0a-4d55-9a77-3c2f1f9e8a11/redrive").roles()).isEqualTo(OPERATOR);
    }

    @Test
    void partnerCallsOnDebtsAreForOperators() {
        assertThat(post("/api/v1/debts/k/cancel-permanently").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/debts/k/change-disbursement-date").roles()).isEqualTo(OPERATOR);
        assertThat(get("/api/v1/debts/k/requests").roles()).isEqualTo(OPERATOR);
        assertThat(get("/api/v1/debts/k/requests/0b9e3c1e-5f0a-4d55-9a77-3c2f1f9e8a11").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/debts/k/requests").denied()).isTrue();
        assertThat(get("/api/v1/partner-requests").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/partner-requests").denied()).isTrue();
    }

    @Test
    void reportsAndTheLedgerAreForFinance() {
        assertThat(get("/api/v1/reports/reconciliation", "from").roles()).isEqualTo(FINANCE);
        assertThat(get("/api/v1/reports/reconciliation/2024").roles()).isEqualTo(FINANCE);
        assertThat(get("/api/v1/ledger/entries").roles()).isEqualTo(FINANCE);
        assertThat(get("/api/v1/ledger/entries", "asOf").roles()).isEqualTo(FINANCE);
    }

    @Test
    void theJournalIsForFinanceAndAuditorsEvenAsOfADay() {
        for (String path : new String[] {"/api/v1/journal", "/api/v1/accounts", "/api/v1/reports/trial-balance",
                "/api/v1/accounts/assets:cash:provider/statement"}) {
            assertThat(get(path).roles()).as(path).isEqualTo(READERS);
            assertThat(get(path, "asOf").roles()).as(path + "?asOf").isEqualTo(READERS);
        }
        assertThat(post("/api/v1/journal").denied()).isTrue();
    }

    @Test
    void projectionsDeadLettersAndMetricsAreForOperators() {
        assertThat(get("/api/v1/projections").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/projections/rebuild").roles()).isEqualTo(OPERATOR);
        assertThat(get("/api/v1/dead-letters").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/dead-letters/history/retry").roles()).isEqualTo(OPERATOR);
        assertThat(AccessRules.STANDARD.decide(HttpMethod.DELETE, "/api/v1/dead-letters/x", null).roles())
                .isEqualTo(OPERATOR);
        assertThat(get("/actuator/prometheus").roles()).isEqualTo(OPERATOR);
    }

    @Test
    void healthTheDescriptionAndTheIntakeAreOpen() {
        assertThat(get("/actuator/health").open()).isTrue();
        assertThat(get("/actuator/health/liveness").open()).isTrue();
        assertThat(get("/v3/api-docs").open()).isTrue();
        assertThat(get("/v3/api-docs/swagger-config").open()).isTrue();
        assertThat(get("/swagger-ui.html").open()).isTrue();
        assertThat(get("/webjars/swagger-ui/index.html").open()).isTrue();
        assertThat(post("/webhooks/qitech").open()).isTrue();
    }

    @Test
    void theCompletenessReportIsTheAuditorsAndItsSweepsTheOperators() {
        assertThat(get("/api/v1/completeness").roles()).isEqualTo(AUDITOR);
        assertThat(get("/api/v1/completeness/sweeps").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/completeness/sweeps").roles()).isEqualTo(OPERATOR);
        assertThat(post("/api/v1/completeness").denied()).isTrue();
    }

    @Test
    void theConsoleIsOpenToReadAndItsTwoCallsAreForEveryRole() {
        for (String page : new String[] {"/console", "/console/", "/console/operations", "/console/bank-slips/k",
            "/console/receipts/r", "/console/assets/app.js"}) {
            assertThat(get(page).open()).as(page).isTrue();
        }
        assertThat(post("/console").denied()).isTrue();
        assertThat(post("/console/operations").denied()).isTrue();
        assertThat(get("/consoles").denied()).isTrue();
        assertThat(get("/api/v1/me").roles()).isEqualTo(READERS);
        assertThat(get("/api/v1/lookup").roles()).isEqualTo(READERS);
        assertThat(post("/api/v1/lookup").denied()).isTrue();
    }

    @Test
    void headReadsAsGet() {
        assertThat(AccessRules.STANDARD.decide(HttpMethod.HEAD, "/api/v1/bank-slips/k", null).roles())
                .isEqualTo(READERS);
    }

    @Test
    void everythingElseIsDenied() {
        assertThat(get("/webhooks/qitech").denied()).isTrue();
        assertThat(get("/actuator/info").denied()).isTrue();
        assertThat(get("/actuator/env").denied()).isTrue();
        assertThat(get("/actuator").denied()).isTrue();
        assertThat(get("/api/v1/bank-slips").denied()).isTrue();
        assertThat(get("/api/v1/a/b/c/d").denied()).isTrue();
        assertThat(post("/api/v1/bank-slips/k").denied()).isTrue();
        assertThat(AccessRules.STANDARD.decide(HttpMethod.DELETE, "/api/v1/bank-slips/k", null).denied()).isTrue();
        assertThat(post("/actuator/health").denied()).isTrue();
        assertThat(get("/").denied()).isTrue();
    }

    @Test
    void aDeniedRuleAdmitsNobodyAndAnOpenOneEverybody() {
        ApiAccess guarded = ApiAccess.byTokens(BearerTokens.of(
                new com.qiledger.api.platform.LedgerProperties.Tokens("a", null, null)));
        assertThat(guarded.allows(get("/"), READERS)).isFalse();
        assertThat(ApiAccess.openToEveryone().allows(get("/"), READERS)).isFalse();
        assertThat(guarded.allows(get("/actuator/health"), Set.of())).isTrue();
        assertThat(guarded.allows(get("/api/v1/bank-slips/k", "asOf"), FINANCE)).isFalse();
        assertThat(guarded.allows(get("/api/v1/bank-slips/k", "asOf"), OPERATOR)).isTrue();
        assertThat(ApiAccess.openToEveryone().allows(get("/api/v1/bank-slips/k", "asOf"), Set.of())).isTrue();
    }
}
