package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.query.installment.FindInstallmentsOfDebt;
import com.qiledger.query.installment.InstallmentView;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Seed 002 byte for byte over HTTP, both shapes of {@code installment.status_change}: status change
 * with payment, and the billing update; read back, history, resends, payments counted once across
 * webhooks, a billing update resent after a partial failure, and a debt's installments in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class InstallmentEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-installment");
    static final String SEED_KEY = "92a05d9c-e457-4f28-9fa8-86be638ee2d0";
    static final String SEED_PAYMENT = "f03e1fbc-6d7a-456b-bd6a-db0faac1b481";
    static final String BILLED_KEY = "bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d";
    static final String BILLED_DEBT = "96015228-4905-42fc-bda6-e70e0e552b6b";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    @Autowired
    QueryGateway queries;

    long events(String aggregateIdPattern) {
        return jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier LIKE :p")
                .param("p", aggregateIdPattern).query(Long.class).single();
    }

    /** The installment's view once the read model has folded at least {@code facts} facts. */
    JsonNode installment(String key, int facts) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(web.get()
                .uri("/api/v1/installments/{k}", key).exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("facts_recorded").asInt()).isGreaterThanOrEqualTo(facts));
        return get("/api/v1/installments/" + key);
    }

    List<InstallmentView> installmentsOfDebt(String debtKey) {
        return queries.query(new FindInstallmentsOfDebt(debtKey), ResponseTypes.multipleInstancesOf(
                InstallmentView.class)).join();
    }

    @Test
    void theSeedStatusChangeIsReadBackAndItsPaymentCountedOnceAcrossWebhooks() {
        byte[] body = Webhooks.read("installment/status_change_paid.json");
        JsonNode answer = post(body);
        assertThat(answer.get("outcome").asText()).isEqualTo("applied");
        assertThat(answer.get("position").isIntegralNumber()).isTrue();
        String receipt = answer.get("receipt").asText();
        assertThat(events("Installment:" + SEED_KEY)).isEqualTo(1);

        JsonNode view = installment(SEED_KEY, 1);
        assertThat(view.get("installment_key").asText()).isEqualTo(SEED_KEY);
        assertThat(view.get("debt_key").asText()).isEqualTo(SEED_KEY);
        assertThat(view.get("debt_key_conflict").asBoolean()).isFalse();
        assertThat(view.get("status").asText()).isEqualTo("paid");
        assertThat(view.get("data_status").asText()).isEqualTo("paid");
        assertThat(view.get("data_status_differs").asBoolean()).isFalse();
        assertThat(view.get("is_finished").asBoolean()).isTrue();
        assertThat(view.get("due_date").asText()).isEqualTo("2022-10-28");
        assertThat(view.get("paid_at").asText()).isEqualTo("2022-09-27T10:03:34Z");
        assertThat(view.get("status_as_of").asText()).isEqualTo("2026-02-10T14:39:07Z");
        assertThat(view.get("paid_amount").decimalValue()).isEqualTo(new BigDecimal("1009.68"));
        assertThat(view.get("payments")).hasSize(1);
        JsonNode payment = view.get("payments").get(0);
        assertThat(payment.get("installment_payment_key").asText()).isEqualTo(SEED_PAYMENT);
        assertThat(payment.get("paid_at").asText()).isEqualTo("2026-02-10T14:39:07Z");
        assertThat(payment.get("paid_amount").decimalValue()).isEqualTo(new BigDecimal("1009.68"));
        assertThat(payment.get("paid_method_type").asText()).isEqualTo("pix");
        assertThat(view.get("events")).hasSize(1);
        JsonNode occurrence = view.get("events").get(0);
        assertThat(occurrence.get("event_type").asText()).isEqualTo("payment");
        assertThat(occurrence.get("event_date").asText()).isEqualTo("2022-09-27T10:03:34Z");
        assertThat(occurrence.get("created_at").asText()).isEqualTo("2022-09-27T10:03:35Z");
        assertThat(occurrence.get("amount").decimalValue()).isEqualTo(new BigDecimal("1009.68"));
        assertThat(occurrence.get("old_status").asText()).isEqualTo("opened");
        assertThat(occurrence.get("old_due_date").isNull()).isTrue();
        assertThat(view.get("billing").isNull()).isTrue();
        assertThat(view.get("billings")).isEmpty();
        assertThat(view.get("facts_recorded").asInt()).isEqualTo(1);
        assertThat(view.get("last_position").asLong()).isEqualTo(answer.get("position").asLong());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                .uri("/api/v1/installments/{k}/history", SEED_KEY).exchange().expectStatus().isOk());
        JsonNode event = get("/api/v1/installments/" + SEED_KEY + "/history").get("events").get(0);
        assertThat(event.get("type").asText()).isEqualTo("InstallmentStatusChanged");
        assertThat(event.get("receipt").asText()).isEqualTo(receipt);
        assertThat(event.get("effective_at").asText()).isEqualTo("2026-02-10T14:39:07Z");
        assertThat(event.get("data").get("paid_amount_after").decimalValue()).isEqualTo(new BigDecimal("1009.68"));

        JsonNode again = post(body);
        assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(again.get("receipt").asText()).isEqualTo(receipt);
        assertThat(events("Installment:" + SEED_KEY)).isEqualTo(1);

        // A later webhook repeats the seed's payment and brings a new one: each is counted once.
        String later = """
                {"key": "92a05d9c-e457-4f28-9fa8-86be638ee2d0", "webhook_type": "installment.status_change",
                 "data": {"status": "paid_overdue", "is_finished": true,
                  "installment": {"installment_key": "92a05d9c-e457-4f28-9fa8-86be638ee2d0",
                   "due_date": "2022-10-28", "paid_at": "2026-02-12T09:00:00",
                   "installment_status": {"enumerator": "paid_overdue"},
                   "events": [{"amount": 1009.68, "created_at": "2022-09-27T07:03:35", "event_date": "2022-09-27T07:03:34",
                     "old_due_date": null, "installment_event_type": {"enumerator": "payment"},
                     "installment_old_status": {"enumerator": "opened"}},
                    {"amount": 200.00, "created_at": "2026-02-12T09:00:01", "event_date": "2026-02-12T09:00:00",
                     "old_due_date": null, "installment_event_type": {"enumerator": "payment"},
                     "installment_old_status": {"enumerator": "paid"}}],
                   "installment_payment": [
                    {"installment_payment_key": "f03e1fbc-6d7a-456b-bd6a-db0faac1b481", "paid_at": "2026-02-10T11:39:07",
                     "paid_amount": 1009.68, "paid_method_type": {"enumerator": "pix"}},
                    {"installment_payment_key": "5b0a7c1e-0000-4000-8000-000000000002", "paid_at": "2026-02-12T09:00:00",
                     "paid_amount": 200.00, "paid_method_type": {"enumerator": "bank_slip"}}]}}}
                """;
        assertThat(post(later.getBytes()).get("outcome").asText()).isEqualTo("applied");
        assertThat(events("Installment:" + SEED_KEY)).isEqualTo(2);
        JsonNode after = installment(SEED_KEY, 2);
        assertThat(after.get("paid_amount").decimalValue()).isEqualTo(new BigDecimal("1209.68"));
        assertThat(after.get("payments")).hasSize(2);
        assertThat(after.get("payments").get(0).get("installment_payment_key").asText()).isEqualTo(SEED_PAYMENT);
        assertThat(after.get("events")).hasSize(2);
        assertThat(after.get("status").asText()).isEqualTo("paid_overdue");
        assertThat(after.get("status_as_of").asText()).isEqualTo("2026-02-12T12:00:00Z");

        // The same facts in other bytes: a new delivery, but nothing new to record.
        JsonNode sameFacts = post((later + "\n").getBytes());
        assertThat(sameFacts.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(sameFacts.get("reason").asText()).isEqualTo("every fact in this delivery was already recorded");
        assertThat(events("Installment:" + SEED_KEY)).isEqualTo(2);

        assertThat(installmentsOfDebt(SEED_KEY)).extracting(InstallmentView::installmentKey).containsExactly(SEED_KEY);
    }

    @Test
    void theSeedBillingUpdateIsReadBackWithExactAmounts() {
        byte[] body = Webhooks.read("installment/update_billing.json");
        JsonNode answer = post(body);
        assertThat(answer.get("outcome").asText()).isEqualTo("applied");
        assertThat(events("Installment:" + BILLED_KEY)).isEqualTo(1);

        JsonNode view = installment(BILLED_KEY, 1);
        assertThat(view.get("debt_key").asText()).isEqualTo(BILLED_DEBT);
        assertThat(view.get("status").isNull()).isTrue();
        assertThat(view.get("is_finished").asBoolean()).isFalse();
        assertThat(view.get("paid_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(view.get("due_date").asText()).isEqualTo("2024-07-17");
        JsonNode billing = view.get("billing");
        assertThat(billing.get("digitable_line").asText()).isEqualTo("32990001455000000000503007797909797660000100000");
        assertThat(billing.get("qr_code_key").asText()).isEqualTo("7d20015e-c4ed-4290-b255-33c1c5b56362");
        assertThat(billing.get("qr_code_url").asText()).startsWith("00020126580014br.gov.bcb.pix").endsWith("63040EB2");
        assertThat(billing.get("principal_amortization_amount").decimalValue())
                .isEqualTo(new BigDecimal("141.07452576"));
        assertThat(billing.get("pre_fixed_amount").decimalValue()).isEqualTo(new BigDecimal("72.89547424"));
        assertThat(billing.get("bank_slip_key").asText()).isEqualTo("5f25e9fd-f612-47a3-acff-be9f29d87f6c");
        assertThat(billing.get("due_date").asText()).isEqualTo("2024-07-17");
        assertThat(billing.get("total_amount").decimalValue()).isEqualTo(new BigDecimal("216.97"));
        assertThat(view.get("billings")).hasSize(1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                .uri("/api/v1/installments/{k}/history", BILLED_KEY).exchange().expectStatus().isOk());
        JsonNode event = get("/api/v1/installments/" + BILLED_KEY + "/history").get("events").get(0);
        assertThat(event.get("type").asText()).isEqualTo("InstallmentBillingIssued");
        assertThat(event.get("receipt").asText()).isEqualTo(answer.get("receipt").asText());
        assertThat(event.get("effective_at").isNull()).isTrue();

        assertThat(post(body).get("outcome").asText()).isEqualTo("duplicate");
        assertThat(events("Installment:" + BILLED_KEY)).isEqualTo(1);
    }

    @Test
    void aResendAfterAPartialFailureCompletesWhatWasMissingAndDoublesNothing() {
        String body = """
                {"key": "d1000000-0000-4000-8000-000000000001", "webhook_type": "installment.status_change",
                 "data": {"status": "update", "installments": [
                  {"installment_key": "e1000000-0000-4000-8000-000000000001", "digitable_line": "111",
                   "principal_amortization_amount": 141.07452576, "pre_fixed_amount": 72.89547424,
                   "bank_slip_key": "b1", "due_date": "2024-07-17", "total_amount": 216.97},
                  {"installment_key": "e1000000-0000-4000-8000-000000000002", "digitable_line": "222",
                   "principal_amortization_amount": 150, "pre_fixed_amount": 66.97,
                   "bank_slip_key": "b2", "due_date": "2024-08-17", "total_amount": 216.97}]}}
                """;
        // An earlier delivery of the same list got only the first installment in (here: sent alone).
        String firstOnly = body.replaceFirst(",\\s*\\{\"installment_key\": \"e1000000-0000-4000-8000-000000000002\"[^}]*}",
                "");
        assertThat(firstOnly).doesNotContain("e1000000-0000-4000-8000-000000000002");
        assertThat(post(firstOnly.getBytes()).get("outcome").asText()).isEqualTo("applied");
        assertThat(events("Installment:e1000000%")).isEqualTo(1);

        JsonNode full = post(body.getBytes());
        assertThat(full.get("outcome").asText()).isEqualTo("applied");
        assertThat(events("Installment:e1000000%")).isEqualTo(2);
        JsonNode first = installment("e1000000-0000-4000-8000-000000000001", 1);
        JsonNode second = installment("e1000000-0000-4000-8000-000000000002", 1);
        assertThat(first.get("facts_recorded").asInt()).isEqualTo(1);
        assertThat(first.get("billings")).hasSize(1);
        assertThat(first.get("billing").get("principal_amortization_amount").decimalValue())
                .isEqualTo(new BigDecimal("141.07452576"));
        assertThat(second.get("billing").get("digitable_line").asText()).isEqualTo("222");

        // once complete, the same list again (in other bytes) records nothing
        JsonNode again = post((" " + body).getBytes());
        assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(again.get("reason").asText()).isEqualTo("every fact in this delivery was already recorded");
        assertThat(events("Installment:e1000000%")).isEqualTo(2);
    }

    @Test
    void oneBadElementQuarantinesTheWholeUpdate() {
        String body = """
                {"key": "d3000000-0000-4000-8000-000000000001", "webhook_type": "installment.status_change",
                 "data": {"status": "update", "installments": [
                  {"installment_key": "e3000000-0000-4000-8000-000000000001", "due_date": "2024-07-17",
                   "total_amount": 216.97},
                  {"due_date": "2024-08-17", "total_amount": 216.97}]}}
                """;
        JsonNode answer = post(body.getBytes());
        assertThat(answer.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(answer.get("reason").asText())
                .isEqualTo("data.installments[1]: required field 'installment_key' is missing");
        assertThat(events("Installment:e3000000%")).isZero();
        JsonNode unknownStatus = post(("{\"key\":\"d3\",\"webhook_type\":\"installment.status_change\","
                + "\"data\":{\"status\":\"refunded\",\"installment\":{\"installment_key\":\"e3\"}}}").getBytes());
        assertThat(unknownStatus.get("reason").asText()).isEqualTo("unknown installment status 'refunded' in 'data.status'");
        web.get().uri("/api/v1/installments/e3000000-0000-4000-8000-000000000001").exchange().expectStatus()
                .isNotFound();
    }

    @Test
    void aDebtListsItsInstallmentsByDueDate() {
        String debt = "d2000000-0000-4000-8000-000000000001";
        post(("""
                {"key": "%s", "webhook_type": "installment.status_change",
                 "data": {"status": "update", "installments": [
                  {"installment_key": "e2000000-0000-4000-8000-00000000000c", "due_date": "2024-09-17", "total_amount": 1},
                  {"installment_key": "e2000000-0000-4000-8000-00000000000a", "due_date": "2024-07-17", "total_amount": 1},
                  {"installment_key": "e2000000-0000-4000-8000-00000000000b", "due_date": "2024-08-17", "total_amount": 1}]}}
                """).formatted(debt).getBytes());
        // a status change of the last one, and an installment of another debt
        post(("""
                {"key": "%s", "webhook_type": "installment.status_change",
                 "data": {"status": "paid", "is_finished": true, "installment": {
                  "installment_key": "e2000000-0000-4000-8000-00000000000c", "due_date": "2024-09-17",
                  "paid_at": "2024-09-10T10:00:00", "installment_status": {"enumerator": "paid"}}}}
                """).formatted(debt).getBytes());
        post(("""
                {"key": "d2000000-0000-4000-8000-000000000002", "webhook_type": "installment.status_change",
                 "data": {"status": "update", "installments": [
                  {"installment_key": "e2000000-0000-4000-8000-00000000000d", "due_date": "2024-06-17"}]}}
                """).getBytes());
        installment("e2000000-0000-4000-8000-00000000000d", 1);
        installment("e2000000-0000-4000-8000-00000000000c", 2);

        List<InstallmentView> installments = installmentsOfDebt(debt);
        assertThat(installments).extracting(InstallmentView::installmentKey).containsExactly(
                "e2000000-0000-4000-8000-00000000000a", "e2000000-0000-4000-8000-00000000000b",
                "e2000000-0000-4000-8000-00000000000c");
        assertThat(installments).extracting(InstallmentView::debtKey).containsOnly(debt);
        assertThat(installments.get(2).status()).isEqualTo("paid");
        assertThat(installments.get(2).isFinished()).isTrue();
        assertThat(installments.get(0).status()).isNull();
        assertThat(installmentsOfDebt("d2000000-0000-4000-8000-00000000ffff")).isEmpty();
    }
}
