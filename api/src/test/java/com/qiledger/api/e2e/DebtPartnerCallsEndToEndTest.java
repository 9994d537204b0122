package com.qiledger.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.qiledger.api.provider.ProviderClient;
import com.qiledger.api.provider.ProviderStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 22 end to end: operator calls over HTTP, sent after the commit by the ledger's sender, signed, to
 * a local stub of the provider that verifies every signature with the partner's public key; each way a
 * call ends (accepted, 5xx then 2xx, 4xx, time-outs to the last attempt), the webhook that confirms it,
 * the debt's rules (409, 400 naming the field, 404) and the Idempotency-Key. Every debt has a key of
 * its own, so the stub's requests are told apart by path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DebtPartnerCallsEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-partner-calls");
    static final ProviderStub PROVIDER = new ProviderStub();
    static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.provider.base-url", PROVIDER::baseUrl);
        registry.add("ledger.provider.client-key", () -> ProviderStub.CLIENT_KEY);
        // as a path here; inline PEM and PKCS#8 are ProviderClientTest's
        registry.add("ledger.provider.private-key", () -> ProviderStub.keyFile("partner-ec-private.pem").toString());
        registry.add("ledger.provider.timeout", () -> "1s");
        registry.add("ledger.provider.retry.attempts", () -> "3");
        registry.add("ledger.provider.retry.backoff", () -> "200ms");
        registry.add("ledger.provider.retry.max-backoff", () -> "400ms");
        registry.add("ledger.provider.poll-interval", () -> "50ms");
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    @BeforeEach
    void freshProvider() {
        PROVIDER.reset();
    }

    /** Every request the ledger sent passed the provider's checks (signature, client key, digest, uri, time). */
    @org.junit.jupiter.api.AfterEach
    void everyRequestWasSignedCorrectly() {
        assertThat(PROVIDER.refusals()).isEmpty();
    }

    /** A debt the ledger knows: its disbursement was refused (seed 004's Pix refusal, under a key of its own). */
    String knownDebt() {
        String key = UUID.randomUUID().toString();
        JsonNode answer = post(DebtEndToEndTest.variant("canceled_pix_refusal.json", key));
        assertThat(answer.get("outcome").asText()).isEqualTo("applied");
        return key;
    }

    static String cancelPath(String key) {
        return "/debt/" + key + "/cancel_permanently";
    }

    static String datePath(String key) {
        return "/debt/" + key + "/change_disbursement_date";
    }

    WebTestClient.ResponseSpec cancel(String key, String idempotencyKey, String body) {
        var request = web.post().uri("/api/v1/debts/{key}/cancel-permanently", key);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec changeDate(String key, String body) {
        return web.post().uri("/api/v1/debts/{key}/change-disbursement-date", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    String accepted(WebTestClient.ResponseSpec response) {
        JsonNode answer = response.expectStatus().isAccepted().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
        assertThat(answer.get("request_id").asText()).isNotBlank();
        return answer.get("request_id").asText();
    }

    JsonNode requestWhen(String key, String id, Predicate<JsonNode> ready) {
        List<JsonNode> seen = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode call = web.get().uri("/api/v1/debts/{key}/requests/{id}", key, id).exchange()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            if (call != null && call.has("state") && ready.test(call)) {
                seen.add(call);
                return true;
            }
            return false;
        });
        return seen.get(0);
    }

    static Predicate<JsonNode> state(String state) {
        return call -> state.equals(call.get("state").asText());
    }

    JsonNode problem(WebTestClient.ResponseSpec response, HttpStatus status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    static String dateChangeBody(LocalDate date, String... percentages) {
        StringBuilder accounts = new StringBuilder();
        for (String percentage : percentages) {
            accounts.append(accounts.length() == 0 ? "" : ",").append("""
                    {"branch_number": "1232", "account_digit": "4", "account_number": "412412412",
                     "account_type": "checking_account", "document_number": "37197645832", "bank_code": 184,
                     "ispb_number": "17298092", "name": "Trabalhador", "percentage_receivable": %s}"""
                    .formatted(percentage));
        }
        return "{\"disbursement_date\": \"" + date + "\", \"disbursement_bank_accounts\": [" + accounts + "]}";
    }

    static LocalDate inSaoPaulo(int daysFromToday) {
        return LocalDate.now(SAO_PAULO).plusDays(daysFromToday);
    }

    @Test
    void anAcceptedCancellationIsSentOnceSignedAfterTheCommitAndRecordedWithTheProvidersBody() {
        String key = knownDebt();
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200).withBody("{\"status\": \"canceling\"}"));

        String id = accepted(cancel(key, null, "{\"reason\": \"customer withdrew\"}"));

        JsonNode call = requestWhen(key, id, state("accepted"));
        assertThat(call.get("kind").asText()).isEqualTo("cancel_permanently");
        assertThat(call.get("reason").asText()).isEqualTo("customer withdrew");
        assertThat(call.get("requested_by").asText()).isNotBlank();
        assertThat(call.get("attempts").asInt()).isEqualTo(1);
        assertThat(call.get("answer_status").asInt()).isEqualTo(200);
        assertThat(call.get("answer_body").asText()).isEqualTo("{\"status\": \"canceling\"}");
        List<LoggedRequest> sent = PROVIDER.requests(cancelPath(key));
        assertThat(sent).singleElement().satisfies(request -> {
            assertThat(PROVIDER.refusal(request)).isNull();
            assertThat(request.getHeader(ProviderClient.REQUEST_ID_HEADER)).isEqualTo(id);
            assertThat(request.getBody()).isEmpty();
        });
        JsonNode debt = get("/api/v1/debts/{key}", key);
        assertThat(debt.get("pending_request").get("request_id").asText()).isEqualTo(id);
        assertThat(debt.get("pending_request").get("state").asText()).isEqualTo("accepted");
        assertThat(debt.get("status").asText()).isEqualTo("canceled");
    }

    @Test
    void a500ThenA200IsOneRetryWithTheSameRequestIdAndOneAcceptance() {
        String key = knownDebt();
        PROVIDER.answerInTurn(cancelPath(key), aResponse().withStatus(500).withBody("{\"title\": \"internal\"}"),
                aResponse().withStatus(200).withBody("{}"));

        String id = accepted(cancel(key, null, null));

        JsonNode call = requestWhen(key, id, state("accepted"));
        assertThat(call.get("attempts").asInt()).isEqualTo(2);
        assertThat(call.get("attempt_log")).hasSize(2);
        assertThat(call.get("attempt_log").get(0).get("outcome").asText()).isEqualTo("failed");
        assertThat(call.get("attempt_log").get(0).get("status").asInt()).isEqualTo(500);
        assertThat(call.get("attempt_log").get(0).get("body").asText()).isEqualTo("{\"title\": \"internal\"}");
        assertThat(call.get("attempt_log").get(1).get("outcome").asText()).isEqualTo("accepted");
        assertThat(PROVIDER.requests(cancelPath(key))).hasSize(2)
                .allSatisfy(r -> assertThat(r.getHeader(ProviderClient.REQUEST_ID_HEADER)).isEqualTo(id));
    }

    @Test
    void a422IsARefusalRecordedWithItsBodyAndNeverRetried() throws Exception {
        String key = knownDebt();
        String body = "{\"title\": \"Unprocessable\", \"description\": \"debt is not cancelable\"}";
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(422).withBody(body));

        String id = accepted(cancel(key, null, null));

        JsonNode call = requestWhen(key, id, state("refused"));
        assertThat(call.get("answer_status").asInt()).isEqualTo(422);
        assertThat(call.get("answer_body").asText()).isEqualTo(body);
        Thread.sleep(1000); // more than every back-off: a retry would have come by now
        assertThat(PROVIDER.requests(cancelPath(key))).hasSize(1);
        assertThat(requestWhen(key, id, state("refused")).get("attempts").asInt()).isEqualTo(1);
        // refused: the debt is not waiting for a cancellation, so another one may be asked
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200));
        accepted(cancel(key, null, null));
    }

    @Test
    void aProviderThatNeverAnswersInTimeIsGivenUpAfterTheLastAttempt() {
        String key = knownDebt();
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200).withFixedDelay(2500));

        String id = accepted(cancel(key, null, null));

        JsonNode call = requestWhen(key, id, state("gave_up"));
        assertThat(call.get("attempts").asInt()).isEqualTo(3);
        assertThat(call.get("answer_error").asText()).isEqualTo("no answer within 1000 ms");
        assertThat(call.get("attempt_log")).extracting(a -> a.get("outcome").asText())
                .containsExactly("failed", "failed", "gave_up");
        assertThat(PROVIDER.requests(cancelPath(key))).hasSize(3);
        // given up: whether the provider acted is unknown; the debt is not blocked from asking again
        PROVIDER.reset();
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200));
        String again = accepted(cancel(key, null, null));
        JsonNode second = requestWhen(key, again, c -> !"pending".equals(c.get("state").asText()));
        assertThat(second.get("state").asText()).as(second + " " + PROVIDER.refusals()).isEqualTo("accepted");
    }

    @Test
    void theFullLoopRequestThenAcceptanceThenTheCanceledPermanentlyWebhookEndsConfirmedAndFinal() throws Exception {
        String key = knownDebt();
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200).withBody("{}"));
        String id = accepted(cancel(key, "loop-" + key, "{\"reason\": \"collateral to be released\"}"));
        requestWhen(key, id, state("accepted"));

        JsonNode delivery = post(DebtEndToEndTest.variant("canceled_permanently.json", key));
        assertThat(delivery.get("outcome").asText()).isEqualTo("applied");
        String receipt = delivery.get("receipt").asText();

        JsonNode call = requestWhen(key, id, state("confirmed"));
        assertThat(call.get("confirming_receipt").asText()).isEqualTo(receipt);
        assertThat(call.get("confirmed_by").asText()).isEqualTo("permanent_cancellation");
        long position = delivery.get("position").asLong();
        JsonNode debt = get("/api/v1/debts/{key}?minPosition=" + position, key);
        assertThat(debt.get("status").asText()).isEqualTo("canceled_permanently");
        assertThat(debt.get("final_state").asBoolean()).isTrue();
        assertThat(debt.get("pending_request").isNull()).isTrue();
        assertThat(debt.get("partner_requests").get(0).get("state").asText()).isEqualTo("confirmed");

        // and among every debt's latest calls (the console's operations page), newest first, by state
        List<String> confirmed = new ArrayList<>();
        get("/api/v1/partner-requests?state=confirmed&limit=500").get("requests")
                .forEach(r -> confirmed.add(r.get("request_id").asText()));
        assertThat(confirmed).contains(id);
        JsonNode latest = get("/api/v1/partner-requests").get("requests");
        assertThat(latest.size()).isBetween(1, 50);
        for (int i = 1; i < latest.size(); i++) {
            assertThat(java.time.Instant.parse(latest.get(i - 1).get("requested_at").asText()))
                    .isAfterOrEqualTo(java.time.Instant.parse(latest.get(i).get("requested_at").asText()));
        }
        get("/api/v1/partner-requests?state=pending").get("requests")
                .forEach(r -> assertThat(r.get("state").asText()).isEqualTo("pending"));
        web.get().uri("/api/v1/partner-requests?state=lost").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/partner-requests?limit=0").exchange().expectStatus().isBadRequest();

        JsonNode history = get("/api/v1/debts/{key}/history?minPosition=" + position, key);
        List<String> steps = new ArrayList<>();
        history.get("events").forEach(e -> steps.add(e.get("type").asText()));
        assertThat(steps).containsExactly("DebtCanceled", "PermanentCancellationRequested", "PartnerCallAccepted",
                "DebtCanceledPermanently", "PartnerCallConfirmed");
        JsonNode events = history.get("events");
        assertThat(events.get(1).get("data").get("request_id").asText()).isEqualTo(id);
        assertThat(events.get(1).get("receipt").isNull()).isTrue();
        assertThat(events.get(2).get("data").get("request_id").asText()).isEqualTo(id);
        assertThat(events.get(3).get("receipt").asText()).isEqualTo(receipt);
        assertThat(events.get(4).get("receipt").asText()).isEqualTo(receipt);
        assertThat(events.get(4).get("data").get("request_id").asText()).isEqualTo(id);
        // kept for the note: one debt's history from request to the confirming webhook
        Files.writeString(Path.of("target", "partner-call-history.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(history));

        // final now: no further call, and the second cancellation is a conflict
        JsonNode again = problem(cancel(key, null, null), HttpStatus.CONFLICT);
        assertThat(again.get("detail").asText()).isEqualTo("the debt is already canceled permanently");
        problem(changeDate(key, dateChangeBody(inSaoPaulo(2), "100")), HttpStatus.CONFLICT);
        assertThat(PROVIDER.requests(cancelPath(key))).hasSize(1);
        assertThat(PROVIDER.requests(datePath(key))).isEmpty();
    }

    @Test
    void aSecondCancellationWhileTheFirstIsInFlightIsAConflictAndNothingMoreIsSent() throws Exception {
        String key = knownDebt();
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200).withBody("{}"));
        String id = accepted(cancel(key, null, null));

        JsonNode conflict = problem(cancel(key, null, null), HttpStatus.CONFLICT);
        assertThat(conflict.get("type").asText()).isEqualTo("urn:qi-ledger:problem:cancellation-in-flight");
        assertThat(conflict.get("detail").asText()).contains(id);
        problem(changeDate(key, dateChangeBody(inSaoPaulo(2), "100")), HttpStatus.CONFLICT);
        requestWhen(key, id, state("accepted"));
        Thread.sleep(300);
        assertThat(PROVIDER.requests(cancelPath(key))).hasSize(1);
        assertThat(get("/api/v1/debts/{key}/requests", key).get("requests")).hasSize(1);
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstRequestAndSendsOnce() throws Exception {
        String key = knownDebt();
        PROVIDER.answer(cancelPath(key), aResponse().withStatus(200));
        JsonNode first = cancel(key, "op-42", null).expectStatus().isAccepted().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        JsonNode second = cancel(key, "op-42", null).expectStatus().isAccepted().expectBody(JsonNode.class)
                .returnResult().getResponseBody();

        assertThat(second.get("request_id")).isEqualTo(first.get("request_id"));
        assertThat(first.get("repeated").asBoolean()).isFalse();
        assertThat(second.get("repeated").asBoolean()).isTrue();
        String id = first.get("request_id").asText();
        requestWhen(key, id, state("accepted"));
        assertThat(accepted(cancel(key, "op-42", null))).isEqualTo(id); // after the answer too
        Thread.sleep(300);
        assertThat(PROVIDER.requests(cancelPath(key))).hasSize(1);
        assertThat(requestWhen(key, id, state("accepted")).get("idempotency_key").asText()).isEqualTo("op-42");
        // the same key asking for something else is refused, not taken for the first request
        JsonNode reused = problem(web.post().uri("/api/v1/debts/{key}/change-disbursement-date", key)
                .header("Idempotency-Key", "op-42").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(dateChangeBody(inSaoPaulo(2), "100")).exchange(), HttpStatus.CONFLICT);
        assertThat(reused.get("type").asText()).isEqualTo("urn:qi-ledger:problem:idempotency-key-reused");
    }

    @Test
    void aNewDisbursementDateSendsTheSeedsBodyAsGivenAndTheNextDisbursementWebhookConfirmsIt() throws Exception {
        String key = knownDebt();
        String response = """
                {"disbursement_date": "%s", "disbursement_accounts": [{"account_branch": "1232",
                 "percentage_receivable": 50.0, "retry_counter": 0}]}""".formatted(inSaoPaulo(3));
        PROVIDER.answer(datePath(key), aResponse().withStatus(200).withBody(response));
        String body = dateChangeBody(inSaoPaulo(3), "50", "50.0");

        String id = accepted(changeDate(key, body));

        JsonNode call = requestWhen(key, id, state("accepted"));
        assertThat(call.get("kind").asText()).isEqualTo("change_disbursement_date");
        assertThat(call.get("disbursement_date").asText()).isEqualTo(inSaoPaulo(3).toString());
        assertThat(call.get("answer_body").asText()).isEqualTo(response);
        assertThat(call.get("request_body").asText()).isEqualTo(PROVIDER.requests(datePath(key)).get(0)
                .getBodyAsString());
        LoggedRequest sent = PROVIDER.requests(datePath(key)).get(0);
        assertThat(PROVIDER.refusal(sent)).isNull();
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        JsonNode sentBody = JSON.readTree(sent.getBodyAsString());
        assertThat(sentBody).isEqualTo(JSON.readTree(body));
        assertThat(sentBody.get("disbursement_bank_accounts").get(0).get("bank_code").isInt()).isTrue();
        assertThat(sent.getBodyAsString()).contains("\"percentage_receivable\":50.0");

        String later = LocalDateTime.now(SAO_PAULO).plusMinutes(5).format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm:ss"));
        JsonNode refusedAgain = post(DebtEndToEndTest.variant("canceled_pix_refusal.json", key,
                "2025-03-18 16:41:28", later));
        JsonNode confirmed = requestWhen(key, id, state("confirmed"));
        assertThat(confirmed.get("confirming_receipt").asText()).isEqualTo(refusedAgain.get("receipt").asText());
        assertThat(confirmed.get("confirmed_by").asText()).isEqualTo("cancellation");
    }

    @Test
    void everyBadRequestIsA400NamingTheFieldAndNothingIsSent() {
        String key = knownDebt();
        PROVIDER.answer(datePath(key), aResponse().withStatus(200));
        assertField(changeDate(key, "not json"), "body");
        assertField(changeDate(key, "[]"), "body");
        assertField(changeDate(key, "{\"disbursement_bank_accounts\": []}"), "disbursement_date");
        assertField(changeDate(key, dateChangeBody(inSaoPaulo(2), "100").replace(inSaoPaulo(2).toString(),
                "19/03/2025")), "disbursement_date");
        assertField(changeDate(key, dateChangeBody(inSaoPaulo(-1), "100")), "disbursement_date");
        assertField(changeDate(key, "{\"disbursement_date\": \"" + inSaoPaulo(2) + "\"}"),
                "disbursement_bank_accounts");
        assertField(changeDate(key, "{\"disbursement_date\": \"" + inSaoPaulo(2)
                + "\", \"disbursement_bank_accounts\": []}"), "disbursement_bank_accounts");
        for (String field : List.of("branch_number", "account_digit", "account_number", "account_type",
                "document_number", "bank_code", "ispb_number", "name", "percentage_receivable")) {
            String full = dateChangeBody(inSaoPaulo(2), "100");
            String body = field.equals("branch_number") ? full.replaceFirst("\"" + field + "\": [^,}]+,", "")
                    : full.replaceFirst(",\\s*\"" + field + "\": [^,}]+", "");
            assertThat(body).isNotEqualTo(full);
            assertField(changeDate(key, body), "disbursement_bank_accounts[0]." + field);
        }
        assertField(changeDate(key, dateChangeBody(inSaoPaulo(2), "\"100\"")),
                "disbursement_bank_accounts[0].percentage_receivable");
        assertField(changeDate(key, dateChangeBody(inSaoPaulo(2), "60", "30")),
                "disbursement_bank_accounts[].percentage_receivable");
        assertField(changeDate(key, dateChangeBody(inSaoPaulo(2), "0", "100")),
                "disbursement_bank_accounts[0].percentage_receivable");
        assertField(cancel(key, null, "{\"reason\": 7}"), "reason");
        assertField(cancel(key, null, "reason"), "body");
        assertField(cancel(key, "x".repeat(256), null), "Idempotency-Key");
        assertThat(PROVIDER.all()).isEmpty();
        assertThat(get("/api/v1/debts/{key}/requests", key).get("requests")).isEmpty();
    }

    void assertField(WebTestClient.ResponseSpec response, String field) {
        JsonNode problem = problem(response, HttpStatus.BAD_REQUEST);
        assertThat(problem.get("field").asText()).as(problem.toString()).isEqualTo(field);
    }

    @Test
    void aDebtTheLedgerDoesNotKnowIs404AndNothingIsSent() {
        String key = UUID.randomUUID().toString();
        problem(cancel(key, null, null), HttpStatus.NOT_FOUND);
        problem(changeDate(key, dateChangeBody(inSaoPaulo(2), "100")), HttpStatus.NOT_FOUND);
        problem(web.get().uri("/api/v1/debts/{key}/requests/{id}", key, UUID.randomUUID()).exchange(),
                HttpStatus.NOT_FOUND);
        assertThat(PROVIDER.all()).isEmpty();
    }
}
