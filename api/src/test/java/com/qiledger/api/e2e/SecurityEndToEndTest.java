package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * API.md's roles over HTTP: for each representative request, no token and an unknown token are
 * 401, a token of another role 403 (all problem+json), and the roles allowed get past the security
 * layer (whatever the endpoint then answers, e.g. 404 for an unknown key).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityEndToEndTest extends TokenGuardedService {

    enum Who {
        AUDITOR(TokenGuardedService.AUDITOR),
        FINANCE(TokenGuardedService.FINANCE),
        OPERATOR(TokenGuardedService.OPERATOR);

        final String token;

        Who(String token) {
            this.token = token;
        }
    }

    static final String RECEIPT = "00000000-0000-4000-8000-000000000001";

    record Case(HttpMethod method, String uri, Set<Who> allowed) {
        @Override
        public String toString() {
            return method + " " + uri + " " + allowed;
        }
    }

    static Stream<Case> roleTable() {
        Set<Who> auditor = EnumSet.of(Who.AUDITOR, Who.OPERATOR);
        Set<Who> finance = EnumSet.of(Who.FINANCE);
        Set<Who> operator = EnumSet.of(Who.OPERATOR);
        Set<Who> nobody = EnumSet.noneOf(Who.class);
        return Stream.of(
                new Case(HttpMethod.GET, "/api/v1/bank-slips/unknown-key", EnumSet.allOf(Who.class)),
                new Case(HttpMethod.GET, "/api/v1/debts/unknown-key?minPosition=0", EnumSet.allOf(Who.class)),
                new Case(HttpMethod.GET, "/api/v1/bank-slips/unknown-key?asOf=2024-01-01T00:00:00Z", auditor),
                new Case(HttpMethod.GET, "/api/v1/installments/unknown-key/history", auditor),
                new Case(HttpMethod.GET, "/api/v1/receipts/" + RECEIPT, auditor),
                new Case(HttpMethod.GET, "/api/v1/receipts/" + RECEIPT + "/body", auditor),
                new Case(HttpMethod.GET, "/api/v1/receipts?outcome=quarantined", operator),
                new Case(HttpMethod.POST, "/api/v1/receipts/" + RECEIPT + "/redrive", operator),
                new Case(HttpMethod.GET, "/api/v1/reports/reconciliation?from=2024-01-01&to=2024-01-31", finance),
                new Case(HttpMethod.GET, "/api/v1/ledger/entries?from=2024-01-01&to=2024-01-31", finance),
                new Case(HttpMethod.GET, "/api/v1/projections", operator),
                new Case(HttpMethod.POST, "/api/v1/projections/rebuild", operator),
                new Case(HttpMethod.GET, "/api/v1/dead-letters", operator),
                new Case(HttpMethod.GET, "/actuator/prometheus", operator),
                new Case(HttpMethod.GET, "/actuator/env", nobody),
                new Case(HttpMethod.DELETE, "/api/v1/bank-slips/unknown-key", nobody),
                new Case(HttpMethod.GET, "/api/v1/anything/at/all/here", nobody));
    }

    EntityExchangeResult<byte[]> call(HttpMethod method, String uri, String authorization) {
        return web.method(method).uri(uri)
                .headers(headers -> {
                    if (authorization != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, authorization);
                    }
                })
                .exchange().expectBody().returnResult();
    }

    static JsonNode problem(EntityExchangeResult<byte[]> result, int status, String type) throws Exception {
        assertThat(result.getStatus().value()).as(result.toString()).isEqualTo(status);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.getResponseBody());
        assertThat(body.get("type").asText()).isEqualTo("urn:qi-ledger:problem:" + type);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).isNotBlank();
        return body;
    }

    @ParameterizedTest
    @MethodSource("roleTable")
    void withoutATokenTheAnswerIs401(Case c) throws Exception {
        EntityExchangeResult<byte[]> result = call(c.method(), c.uri(), null);
        JsonNode body = problem(result, 401, "missing-token");
        assertThat(body.get("instance").asText()).isEqualTo(c.uri().split("\\?")[0]);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    @ParameterizedTest
    @MethodSource("roleTable")
    void withAnUnknownTokenTheAnswerIs401(Case c) throws Exception {
        for (String wrong : new String[] {"Bearer not-a-token", "Bearer " + AUDITOR + "x", "Bearer ",
                "Bearer " + OPERATOR.substring(1)}) {
            EntityExchangeResult<byte[]> result = call(c.method(), c.uri(), wrong);
            problem(result, 401, "invalid-token");
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                    .startsWith("Bearer").contains("invalid_token");
        }
    }

    @ParameterizedTest
    @MethodSource("roleTable")
    void aTokenOfAnotherRoleIs403AndAnAllowedRolePasses(Case c) throws Exception {
        for (Who who : Who.values()) {
            EntityExchangeResult<byte[]> result = call(c.method(), c.uri(), "Bearer " + who.token);
            if (c.allowed().contains(who)) {
                assertThat(result.getStatus().value()).as(who + " on " + c + ": " + result)
                        .isNotIn(401, 403);
            } else {
                JsonNode body = problem(result, 403, "insufficient-role");
                assertThat(body.get("detail").asText()).contains(who.name().toLowerCase());
            }
        }
    }

    @Test
    void otherSchemesAreNoToken() throws Exception {
        problem(call(HttpMethod.GET, "/api/v1/bank-slips/k", "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("auditor:" + AUDITOR).getBytes(StandardCharsets.UTF_8))), 401, "missing-token");
        problem(call(HttpMethod.GET, "/api/v1/bank-slips/k", AUDITOR), 401, "missing-token");
    }

    @Test
    void theSchemeNameIsCaseInsensitive() {
        assertThat(call(HttpMethod.GET, "/api/v1/bank-slips/k", "bearer " + FINANCE).getStatus().value())
                .isEqualTo(404);
    }

    @Test
    void healthIsOpenWhateverTheAuthorizationHeader() {
        for (String authorization : new String[] {null, "Bearer not-a-token", "Bearer " + FINANCE}) {
            assertThat(call(HttpMethod.GET, "/actuator/health", authorization).getStatus().value()).isEqualTo(200);
            assertThat(call(HttpMethod.GET, "/actuator/health/liveness", authorization).getStatus().value())
                    .isEqualTo(200);
        }
    }

    @Test
    void prometheusAnswersTheOperator() {
        EntityExchangeResult<byte[]> result = call(HttpMethod.GET, "/actuator/prometheus", "Bearer " + OPERATOR);
        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8)).contains("jvm_");
    }

    @Test
    void theWebhookIntakeIsNotBlockedByBearerAuthentication() {
        JsonNode answer = post(Webhooks.read("bank-slip/registered.json"));
        assertThat(answer.get("outcome").asText()).isIn("applied", "duplicate");
        // the provider's own AUTHORIZATION header is not a bearer token of ours, and must not be read as one
        byte[] body = Webhooks.read("bank-slip/payment_notice.json");
        int status = web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer eyJhbGciOiJFUzUxMiJ9.e30.c2ln")
                .bodyValue(body).exchange().expectBody().returnResult().getStatus().value();
        assertThat(status).isEqualTo(200);
        // the intake's own refusals are kept: a non-JSON body is still 415, not 401
        assertThat(web.post().uri("/webhooks/qitech").contentType(MediaType.TEXT_PLAIN).bodyValue("x")
                .exchange().expectBody().returnResult().getStatus().value()).isEqualTo(415);
    }

    @Test
    void aRedriveIsRecordedAsTheOperatorsAndTheAuditorSeesIt() {
        byte[] unknownFamily = ("{\"webhook_type\":\"not.a.family\",\"key\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String receipt = post(unknownFamily).get("receipt").asText();
        web.post().uri("/api/v1/receipts/{r}/redrive", receipt).header(HttpHeaders.AUTHORIZATION, "Bearer " + OPERATOR)
                .exchange().expectStatus().isOk();
        JsonNode view = web.get().uri("/api/v1/receipts/{r}", receipt)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AUDITOR)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(view.get("redrives").get(0).get("requested_by").asText()).isEqualTo("operator");
    }

    @Test
    void theOpenApiDescriptionAndUiNeedNoToken() {
        assertThat(call(HttpMethod.GET, "/v3/api-docs", null).getStatus().value()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/swagger-ui.html", null).getStatus().value()).isIn(200, 302, 301, 307);
    }

    @Test
    void noTokenIsEverWrittenToTheLog(CapturedOutput output) {
        for (Who who : Who.values()) {
            call(HttpMethod.GET, "/api/v1/receipts", "Bearer " + who.token);
            call(HttpMethod.GET, "/api/v1/receipts", "Bearer " + who.token + "-wrong");
        }
        assertThat(output.getAll()).doesNotContain(AUDITOR, FINANCE, OPERATOR);
    }
}
