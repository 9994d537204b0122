package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every example of seed 004, byte for byte over HTTP: the collateral as published (not JSON:
 * quarantined, bytes kept) and corrected, the failed reservation, both refusals and the permanent
 * cancellation of the one debt the seed calls {@code <Debt Key>}; then a fact after the final state
 * and resends. Debts that need a story of their own use the same bodies with a UUID key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DebtEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-debt");
    static final String SEED_KEY = "<Debt Key>";
    static final List<String> APPLIED_FIXTURES = List.of("collateral.json", "failed_reservation.json",
            "canceled_ted_refusal.json", "canceled_pix_refusal.json", "canceled_permanently.json");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    static byte[] fixture(String name) {
        return Webhooks.read("debt/" + name);
    }

    /** A seed body for another debt: the literal {@code <Debt Key>} replaced, then other edits in pairs. */
    static byte[] variant(String name, String key, String... replacements) {
        String body = new String(fixture(name), StandardCharsets.UTF_8).replace(SEED_KEY, key);
        for (int i = 0; i < replacements.length; i += 2) {
            assertThat(body).contains(replacements[i]);
            body = body.replace(replacements[i], replacements[i + 1]);
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    JsonNode applied(byte[] body) {
        JsonNode answer = post(body);
        assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("applied");
        return answer;
    }

    /** The debt once its read model satisfies {@code ready}; the key goes URL-encoded. */
    JsonNode debtWhen(String key, Predicate<JsonNode> ready) {
        List<JsonNode> seen = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode debt = web.get().uri("/api/v1/debts/{key}", key).exchange()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            if (debt != null && debt.has("debt_key") && ready.test(debt)) {
                seen.add(debt);
                return true;
            }
            return false;
        });
        return seen.get(0);
    }

    JsonNode historyWhen(String key, int events) {
        List<JsonNode> seen = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode history = web.get().uri("/api/v1/debts/{key}/history", key).exchange()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            if (history != null && history.has("events") && history.get("events").size() == events) {
                seen.add(history);
                return true;
            }
            return false;
        });
        return seen.get(0);
    }

    long events(String key) {
        return jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = :id")
                .param("id", "Debt:" + key).query(Long.class).single();
    }

    JsonNode receipt(String id) {
        return web.get().uri("/api/v1/receipts/{r}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    static JsonNode refusal(JsonNode debt, String cancelReason) {
        for (JsonNode r : debt.get("refusals")) {
            if (r.get("cancel_reason").asText().equals(cancelReason)) {
                return r;
            }
        }
        throw new AssertionError("no " + cancelReason + " in " + debt.get("refusals"));
    }

    @Test
    void theSeedTellsOneDebtsStoryAndItsFinalStateHolds() {
        // 1. the collateral exactly as published is not JSON: quarantined, nothing lost
        byte[] invalid = fixture("collateral_seed_invalid.json");
        JsonNode quarantined = post(invalid);
        assertThat(quarantined.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(quarantined.get("reason").asText()).startsWith("body is not JSON, even read leniently: ")
                .contains("Unexpected character (':'");
        String invalidReceipt = quarantined.get("receipt").asText();
        byte[] kept = web.get().uri("/api/v1/receipts/{r}/body", invalidReceipt).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(kept).isEqualTo(invalid);
        assertThat(receipt(invalidReceipt).get("outcome").asText()).isEqualTo("quarantined");
        assertThat(events(SEED_KEY)).isZero();
        web.get().uri("/api/v1/debts/{key}", SEED_KEY).exchange().expectStatus().isNotFound();

        // 2. the corrected collateral is applied: exact amounts, every fund, the fund's CNPJ shown
        JsonNode collateralAnswer = applied(fixture("collateral.json"));
        assertThat(events(SEED_KEY)).isEqualTo(1);
        JsonNode debt = debtWhen(SEED_KEY, d -> d.get("facts_recorded").asInt() == 1);
        assertThat(debt.get("debt_key").asText()).isEqualTo(SEED_KEY);
        assertThat(debt.get("status").asText()).isEqualTo("collateral_constituted");
        assertThat(debt.get("final_state").asBoolean()).isFalse();
        JsonNode collateral = debt.get("collateral");
        assertThat(collateral.get("collateral_type").asText()).isEqualTo("private_pension");
        assertThat(collateral.get("constituted").asBoolean()).isTrue();
        assertThat(collateral.get("total_gross_amount_lock").decimalValue()).isEqualByComparingTo("1500");
        assertThat(collateral.get("funds_lock_total").decimalValue()).isEqualByComparingTo("1500");
        assertThat(collateral.get("flags")).isEmpty();
        assertThat(collateral.get("occurred_at").asText()).isEqualTo("2025-07-10T05:15:01Z");
        JsonNode funds = collateral.get("investment_funds");
        assertThat(funds).hasSize(3);
        assertThat(funds.get(0).get("name").asText()).isEqualTo("QI Fund Alpha");
        assertThat(funds.get(1).get("certificate").asText()).isEqualTo("87654321");
        assertThat(funds.get(2).get("susep_process_number").asText()).isEqualTo("333333333333");
        assertThat(funds.get(2).get("document_number").asText()).isEqualTo("32402502000135");
        assertThat(funds.get(2).get("lock_gross_amount").decimalValue()).isEqualByComparingTo("500");
        assertThat(debt.get("installments")).isEmpty();
        assertThat(debt.get("known_from").asText()).isEqualTo("debt");
        JsonNode collateralEvent = historyWhen(SEED_KEY, 1).get("events").get(0);
        assertThat(collateralEvent.get("type").asText()).isEqualTo("CollateralConstituted");
        assertThat(collateralEvent.get("receipt").asText()).isEqualTo(collateralAnswer.get("receipt").asText());

        // 3. the failed reservation, with its trailing comma; October is the latest provider time
        applied(fixture("failed_reservation.json"));
        debt = debtWhen(SEED_KEY, d -> d.get("facts_recorded").asInt() == 2);
        JsonNode failure = debt.get("failed_reservations").get(0);
        assertThat(failure.get("status").asText()).isEqualTo("failed");
        assertThat(failure.get("enumerator").asText()).isEqualTo("Fail enumerator.");
        assertThat(failure.get("description").asText()).isEqualTo("Descrição da falha.");
        assertThat(failure.get("occurred_at").asText()).isEqualTo("2025-10-26T19:41:28Z");
        assertThat(debt.get("status").asText()).isEqualTo("reservation_failed");

        // 4. both refusals are kept with every detail
        applied(fixture("canceled_ted_refusal.json"));
        applied(fixture("canceled_pix_refusal.json"));
        debt = debtWhen(SEED_KEY, d -> d.get("facts_recorded").asInt() == 4);
        assertThat(debt.get("refusals")).hasSize(2);
        JsonNode ted = refusal(debt, "ted_refusal");
        assertThat(ted.get("reason_enumerator").asText()).isEqualTo("agencia_conta_invalida");
        assertThat(ted.get("occurred_at").asText()).isEqualTo("2025-03-18T19:41:28Z");
        JsonNode tedDetails = ted.get("ted_refusal");
        assertThat(tedDetails.get("transaction_key").asText()).isEqualTo("16faabfc-3876-437d-a4f6-aae17a1d68c9");
        assertThat(tedDetails.get("amount").decimalValue()).isEqualByComparingTo("483.6");
        assertThat(tedDetails.get("fee").decimalValue()).isEqualByComparingTo("0");
        assertThat(tedDetails.get("refused_at").asText()).isEqualTo("2022-11-07T17:36:05Z");
        assertThat(tedDetails.get("reason").asText()).isEqualTo("Agência ou Conta Destinatária do Crédito Inválida");
        assertThat(tedDetails.get("origin").get("account_key").asText())
                .isEqualTo("a1d2dea5-fa90-4676-a125-da355fdc3ed0");
        assertThat(tedDetails.get("origin").get("document").asText()).isEqualTo("32402502000135");
        assertThat(tedDetails.get("origin").get("branch_digit").isNull()).isTrue();
        assertThat(tedDetails.get("destination").get("document").asText()).isEqualTo("12345678900");
        assertThat(tedDetails.get("destination").get("purpose").asText()).isEqualTo("Crédito em Conta");
        assertThat(tedDetails.get("destination").get("bank_code").asText()).isEqualTo("341");
        JsonNode pix = refusal(debt, "pix_refusal");
        assertThat(pix.get("pix_refusal").get("reason_enumerator").asText()).isEqualTo("invalid_document_number");
        assertThat(pix.get("ted_refusal").isNull()).isTrue();
        // same provider instant: the aggregate's fixed tie-break ("ted_refusal" > "pix_refusal") names the latest
        assertThat(debt.get("latest_refusal").get("cancel_reason").asText()).isEqualTo("ted_refusal");
        assertThat(debt.get("status").asText()).isEqualTo("reservation_failed");

        // 5. canceled permanently: final
        applied(fixture("canceled_permanently.json"));
        debt = debtWhen(SEED_KEY, d -> d.get("facts_recorded").asInt() == 5);
        assertThat(debt.get("status").asText()).isEqualTo("canceled_permanently");
        assertThat(debt.get("final_state").asBoolean()).isTrue();
        assertThat(debt.get("canceled_permanently_at").asText()).isEqualTo("2025-03-18T19:41:28Z");
        assertThat(debt.get("ignored_after_final").asInt()).isZero();
        assertThat(events(SEED_KEY)).isEqualTo(5);
        JsonNode before = debt;

        // 6. a later refusal (a resubmission refused again) is recorded, and changes nothing
        JsonNode late = applied(variant("canceled_pix_refusal.json", SEED_KEY,
                "2025-03-18 16:41:28", "2025-03-19 09:00:00"));
        assertThat(events(SEED_KEY)).isEqualTo(6);
        debt = debtWhen(SEED_KEY, d -> d.get("facts_recorded").asInt() == 6);
        assertThat(debt.get("ignored_after_final").asInt()).isEqualTo(1);
        assertThat(debt.get("status")).isEqualTo(before.get("status"));
        assertThat(debt.get("collateral")).isEqualTo(before.get("collateral"));
        assertThat(debt.get("refusals")).isEqualTo(before.get("refusals"));
        assertThat(debt.get("latest_refusal")).isEqualTo(before.get("latest_refusal"));
        assertThat(debt.get("failed_reservations")).isEqualTo(before.get("failed_reservations"));
        JsonNode history = historyWhen(SEED_KEY, 6).get("events");
        List<String> types = new ArrayList<>();
        history.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("CollateralConstituted", "PrivatePensionReservationFailed", "DebtCanceled",
                "DebtCanceled", "DebtCanceledPermanently", "DebtFactIgnoredAfterFinalState");
        JsonNode ignored = history.get(5);
        assertThat(ignored.get("receipt").asText()).isEqualTo(late.get("receipt").asText());
        assertThat(ignored.get("effective_at").asText()).isEqualTo("2025-03-19T12:00:00Z");
        assertThat(ignored.get("data").get("fact_type").asText()).isEqualTo("CANCELLATION");
        assertThat(ignored.get("data").get("refusal").get("cancel_reason").asText()).isEqualTo("pix_refusal");

        // 7. resends, byte for byte: duplicates, nothing appended
        for (String name : APPLIED_FIXTURES) {
            JsonNode again = post(fixture(name));
            assertThat(again.get("outcome").asText()).as(name).isEqualTo("duplicate");
            assertThat(receipt(again.get("receipt").asText()).get("attempts").asInt()).as(name).isEqualTo(2);
        }
        JsonNode invalidAgain = post(invalid);
        assertThat(invalidAgain.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(invalidAgain.get("receipt").asText()).isEqualTo(invalidReceipt);
        assertThat(events(SEED_KEY)).isEqualTo(6);
    }

    @Test
    void factsArrivingAfterThePermanentCancellationAreKeptButChangeNothing() {
        String key = "d0000000-0000-4000-8000-000000000001";
        applied(variant("canceled_permanently.json", key));
        applied(variant("canceled_ted_refusal.json", key));
        applied(variant("collateral.json", key));
        applied(variant("failed_reservation.json", key));
        JsonNode debt = debtWhen(key, d -> d.get("facts_recorded").asInt() == 4);
        assertThat(debt.get("status").asText()).isEqualTo("canceled_permanently");
        assertThat(debt.get("final_state").asBoolean()).isTrue();
        assertThat(debt.get("ignored_after_final").asInt()).isEqualTo(3);
        assertThat(debt.get("collateral").isNull()).isTrue();
        assertThat(debt.get("refusals")).isEmpty();
        assertThat(debt.get("latest_refusal").isNull()).isTrue();
        assertThat(debt.get("failed_reservations")).isEmpty();
        JsonNode history = historyWhen(key, 4).get("events");
        assertThat(history.get(0).get("type").asText()).isEqualTo("DebtCanceledPermanently");
        for (int i = 1; i < 4; i++) {
            assertThat(history.get(i).get("type").asText()).isEqualTo("DebtFactIgnoredAfterFinalState");
        }
        assertThat(history.get(2).get("data").get("collateral").get("investment_funds")).hasSize(3);

        // the same fact in other bytes (reformatted, a new field) is no new fact
        JsonNode reformatted = post(variant("canceled_ted_refusal.json", key,
                "\"cancel_reason\": \"ted_refusal\"", "\"cancel_reason\": \"ted_refusal\", \"retry\": 1")
        );
        assertThat(reformatted.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(reformatted.get("reason").asText()).isEqualTo("every fact in this delivery was already recorded");
        assertThat(events(key)).isEqualTo(4);
    }

    @Test
    void aCollateralWhoseFundsDoNotAddUpIsAppliedAndFlagged() {
        String key = "d0000000-0000-4000-8000-000000000002";
        applied(variant("collateral.json", key,
                "\"total_gross_amount_lock\": 1500", "\"total_gross_amount_lock\": \"1600.00\""));
        JsonNode collateral = debtWhen(key, d -> d.get("facts_recorded").asInt() == 1).get("collateral");
        assertThat(collateral.get("flags")).hasSize(1);
        assertThat(collateral.get("flags").get(0).asText()).isEqualTo("collateral_locks_mismatch");
        assertThat(collateral.get("total_gross_amount_lock").decimalValue()).isEqualByComparingTo("1600.00");
        // the scale as sent survives the event store and the read model (a JsonNode would strip it)
        String raw = web.get().uri("/api/v1/debts/{key}", key).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).contains("\"total_gross_amount_lock\":1600.00");
        assertThat(collateral.get("funds_lock_total").decimalValue()).isEqualByComparingTo("1500");
        assertThat(collateral.get("investment_funds")).hasSize(3);
    }

    @Test
    void everyRefusalIsKeptAndTheLatestByProviderTimeWhateverTheArrival() {
        String key = "d0000000-0000-4000-8000-000000000003";
        applied(variant("canceled_pix_refusal.json", key, "2025-03-18 16:41:28", "2025-03-21 10:00:00"));
        applied(variant("canceled_ted_refusal.json", key));
        JsonNode debt = debtWhen(key, d -> d.get("facts_recorded").asInt() == 2);
        assertThat(debt.get("status").asText()).isEqualTo("canceled");
        assertThat(debt.get("refusals")).hasSize(2);
        assertThat(debt.get("refusals").get(0).get("cancel_reason").asText()).isEqualTo("ted_refusal");
        assertThat(debt.get("refusals").get(1).get("cancel_reason").asText()).isEqualTo("pix_refusal");
        assertThat(debt.get("latest_refusal").get("cancel_reason").asText()).isEqualTo("pix_refusal");
        assertThat(debt.get("latest_refusal").get("occurred_at").asText()).isEqualTo("2025-03-21T13:00:00Z");
    }

    @Test
    void debtWebhooksTheDomainCannotRecordAreQuarantinedWithTheirReason() {
        String key = "d0000000-0000-4000-8000-000000000004";
        JsonNode unknownStatus = post(variant("canceled_permanently.json", key,
                "\"canceled_permanently\"", "\"disbursed\""));
        assertThat(unknownStatus.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(unknownStatus.get("reason").asText())
                .isEqualTo("unknown debt status 'disbursed' (known: canceled, canceled_permanently)");
        JsonNode tedWithoutDetails = post(variant("canceled_pix_refusal.json", key,
                "\"cancel_reason\": \"pix_refusal\"", "\"cancel_reason\": \"ted_refusal\""));
        assertThat(tedWithoutDetails.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(tedWithoutDetails.get("reason").asText())
                .isEqualTo("data.ted_refusal is missing: cancel_reason 'ted_refusal' needs its details");
        assertThat(events(key)).isZero();
        web.get().uri("/api/v1/debts/{key}", key).exchange().expectStatus().isNotFound();
    }

    @Test
    void theDebtViewListsItsInstallmentsEvenBeforeAnyDebtWebhook() {
        // seed 002's billing update: top-level key 96015228-... is the debt, one installment in it
        String debtKey = "96015228-4905-42fc-bda6-e70e0e552b6b";
        applied(Webhooks.read("installment/update_billing.json"));
        JsonNode known = debtWhen(debtKey, d -> d.get("installments").size() == 1);
        assertThat(known.get("known_from").asText()).isEqualTo("installments");
        assertThat(known.get("status").isNull()).isTrue();
        JsonNode installment = known.get("installments").get(0);
        assertThat(installment.get("installment_key").asText()).isEqualTo("bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d");
        assertThat(installment.get("debt_key").asText()).isEqualTo(debtKey);

        applied(variant("canceled_pix_refusal.json", debtKey));
        JsonNode debt = debtWhen(debtKey, d -> "debt".equals(d.path("known_from").asText()));
        assertThat(debt.get("status").asText()).isEqualTo("canceled");
        assertThat(debt.get("installments")).hasSize(1);
        web.get().uri("/api/v1/debts/{key}", "f0000000-0000-4000-8000-00000000dead").exchange()
                .expectStatus().isNotFound();
    }

    /** This service has no ledger.provider.* settings (issue 22): the partner calls answer 503 naming the first. */
    @Test
    void withoutAProviderBaseUrlThePartnerCallsAre503NamingTheSettingAndNothingIsAsked() {
        String key = "f1000000-0000-4000-8000-000000000503";
        applied(variant("canceled_pix_refusal.json", key));
        for (String call : List.of("cancel-permanently", "change-disbursement-date")) {
            JsonNode problem = web.post().uri("/api/v1/debts/{key}/" + call, key)
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(problem.get("setting").asText()).isEqualTo("ledger.provider.base-url");
            assertThat(problem.get("detail").asText()).contains("ledger.provider.base-url");
        }
        assertThat(get("/api/v1/debts/{key}/requests", key).get("requests")).isEmpty();
        assertThat(count("SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%Requested'")).isZero();
    }
}
