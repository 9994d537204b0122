package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Seed 001 byte for byte over HTTP: a registration then its update, every field read back, the
 * history with its receipts, resends that add nothing, and the same final view in either order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DdaBankSlipEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-dda");
    static final String KEY = "7c52d5f6-9db1-4a3c-bb03-1f76a2e8f9d2";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    String getText(String path) {
        return web.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    long events(String key) {
        return jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = :id")
                .param("id", "DdaBankSlip:" + key).query(Long.class).single();
    }

    /** The view once the read model has seen {@code snapshots} snapshots of the slip. */
    JsonNode slipAfter(String key, int snapshots) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                .uri("/api/v1/dda-bank-slips/{k}", key).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.snapshots_recorded").isEqualTo(snapshots));
        return get("/api/v1/dda-bank-slips/" + key);
    }

    /** A seed fixture for another slip: the same bytes with the key swapped. */
    static byte[] forKey(String fixture, String key) {
        String body = new String(Webhooks.read(fixture), StandardCharsets.UTF_8);
        assertThat(body).contains(KEY);
        return body.replace(KEY, key).getBytes(StandardCharsets.UTF_8);
    }

    static String update(String key, String dataMembers) {
        return "{\"webhook_type\":\"baas.dda.bankslip.update\",\"key\":\"" + key + "\",\"data\":{" + dataMembers
                + "}}";
    }

    @Test
    void theSeedRegistrationThenUpdateIsAppliedReadBackInFullAndSafeToResend() {
        byte[] registration = Webhooks.read("dda-bank-slip/registration.json");
        byte[] update = Webhooks.read("dda-bank-slip/update.json");

        JsonNode registered = post(registration);
        assertThat(registered.get("outcome").asText()).isEqualTo("applied");
        assertThat(events(KEY)).isEqualTo(1);
        JsonNode paid = post(update);
        assertThat(paid.get("outcome").asText()).isEqualTo("applied");
        assertThat(paid.get("position").asLong()).isGreaterThan(registered.get("position").asLong());
        assertThat(events(KEY)).isEqualTo(2);

        JsonNode slip = slipAfter(KEY, 2);
        assertThat(slip.get("key").asText()).isEqualTo(KEY);
        assertThat(slip.get("status").asText()).isEqualTo("paid");
        assertThat(slip.get("data_quality_flags")).isEmpty();
        assertThat(slip.get("barcode").asText()).isEqualTo("00193000000001000000500000001234567890123457");
        assertThat(slip.get("digitable_line").asText()).isEqualTo("00193000000001000000500000001234567890123456123");
        assertThat(slip.get("nominal_amount").decimalValue()).isEqualByComparingTo("1050");
        assertThat(slip.get("total_amount").decimalValue()).isEqualByComparingTo("1200");
        assertThat(slip.get("total_payment_amount").decimalValue()).isEqualByComparingTo("1200");
        assertThat(slip.get("paid_fine").decimalValue()).isEqualByComparingTo("150");
        assertThat(slip.get("paid_interest").decimalValue()).isEqualByComparingTo("50");
        assertThat(slip.get("discount_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(slip.get("partial_payment_allowed").asBoolean()).isFalse();
        assertThat(slip.get("expiration").asText()).isEqualTo("2024-05-30");
        assertThat(slip.get("max_payment_date").asText()).isEqualTo("2024-07-01");
        JsonNode beneficiary = slip.get("beneficiary");
        assertThat(beneficiary.get("name").asText()).isEqualTo("Tech Solutions Ltda.");
        assertThat(beneficiary.get("bank_code").asText()).isEqualTo("123");
        assertThat(beneficiary.get("bank_ispb").asText()).isEqualTo("12345678");
        assertThat(beneficiary.get("person_type").asText()).isEqualTo("legal");
        assertThat(beneficiary.get("document_number").asText()).isEqualTo("12345678000100");
        assertThat(slip.get("payer").get("name").asText()).isEqualTo("João Carlos");
        assertThat(slip.get("payer").get("person_type").asText()).isEqualTo("natural");
        assertThat(slip.get("payer").get("document_number").asText()).isEqualTo("12345678900");
        assertThat(slip.get("guarantor").get("name").asText()).isEqualTo("Maria Junior");
        assertThat(slip.get("guarantor").get("document_number").asText()).isEqualTo("03903984900");
        assertThat(slip.get("rebate_amount").decimalValue()).isEqualByComparingTo("30.00");
        JsonNode interest = slip.get("interest").get(0);
        assertThat(slip.get("interest")).hasSize(1);
        assertThat(interest.get("interest_amount_type").asText()).isEqualTo("workdays_daily_amount");
        assertThat(interest.get("interest_billing_start_date").asText()).isEqualTo("2024-05-21");
        assertThat(interest.get("interest_amount").decimalValue()).isEqualByComparingTo("10.00");
        JsonNode fine = slip.get("fine").get(0);
        assertThat(fine.get("fine_billing_start_date").asText()).isEqualTo("2024-05-29");
        assertThat(fine.get("fine_amount_type").asText()).isEqualTo("absolute");
        assertThat(fine.get("fine_amount").decimalValue()).isEqualByComparingTo("100.00");
        JsonNode discount = slip.get("discounts").get(0);
        assertThat(discount.get("discount_limit_date").asText()).isEqualTo("2024-05-05");
        assertThat(discount.get("discount_type").asText()).isEqualTo("absolute");
        assertThat(discount.get("discount_amount").decimalValue()).isEqualByComparingTo("50.00");
        assertThat(slip.get("calculations").isArray()).isTrue();
        assertThat(slip.get("calculations")).isEmpty();
        assertThat(slip.get("calculation_model").asText()).isEqualTo("01");
        assertThat(slip.get("partially_paid_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(slip.get("partial_payments")).isEmpty();
        assertThat(slip.get("snapshot_webhook_type").asText()).isEqualTo("baas.dda.bankslip.update");
        assertThat(slip.get("snapshot_fingerprint").asText()).hasSize(64);
        // amounts keep the scale they were sent with, all the way to the read API
        String raw = getText("/api/v1/dda-bank-slips/" + KEY);
        assertThat(raw).contains("\"rebate_amount\":30.00", "\"fine_amount\":100.00", "\"total_amount\":1200");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/dda-bank-slips/" + KEY + "/history").get("events")).hasSize(2));
        JsonNode history = get("/api/v1/dda-bank-slips/" + KEY + "/history").get("events");
        assertThat(history.get(0).get("type").asText()).isEqualTo("DdaBankSlipRegistered");
        assertThat(history.get(0).get("receipt").asText()).isEqualTo(registered.get("receipt").asText());
        assertThat(history.get(0).get("position").asLong()).isEqualTo(registered.get("position").asLong());
        assertThat(history.get(0).get("effective_at").isNull()).as("no provider time").isTrue();
        assertThat(history.get(0).get("data").get("status_after").asText()).isEqualTo("REGISTERED");
        assertThat(history.get(1).get("type").asText()).isEqualTo("DdaBankSlipUpdated");
        assertThat(history.get(1).get("receipt").asText()).isEqualTo(paid.get("receipt").asText());
        assertThat(history.get(1).get("sequence").asLong()).isEqualTo(1);
        assertThat(history.get(1).get("data").get("fingerprint").asText())
                .isEqualTo(slip.get("snapshot_fingerprint").asText());
        assertThat(history.get(1).get("data").get("snapshot").get("payer").get("document_number").asText())
                .isEqualTo("12345678900");

        // the identical bytes again: the receipt's duplicate, nothing appended
        JsonNode resent = post(update);
        assertThat(resent.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(resent.get("receipt").asText()).isEqualTo(paid.get("receipt").asText());
        assertThat(post(registration).get("outcome").asText()).isEqualTo("duplicate");
        // the same snapshot in other bytes (whitespace, member order): the aggregate's duplicate
        String otherBytes = "  " + new String(update, StandardCharsets.UTF_8).replace("\n", " ")
                .replace("\"key\": \"" + KEY + "\",", "")
                .replace("{ \"webhook_type\"", "{\"key\": \"" + KEY + "\", \"webhook_type\"");
        assertThat(otherBytes.getBytes(StandardCharsets.UTF_8)).isNotEqualTo(update);
        JsonNode reformatted = post(otherBytes.getBytes(StandardCharsets.UTF_8));
        assertThat(reformatted.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(reformatted.get("receipt").asText()).isNotEqualTo(paid.get("receipt").asText());
        assertThat(events(KEY)).isEqualTo(2);
        assertThat(get("/api/v1/receipts/" + paid.get("receipt").asText()).get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void anUpdateBeforeItsRegistrationEndsInTheSameView() {
        String inOrder = "7c52d5f6-0000-4000-8000-00000000a001";
        String reversed = "7c52d5f6-0000-4000-8000-00000000a002";
        assertThat(post(forKey("dda-bank-slip/registration.json", inOrder)).get("outcome").asText())
                .isEqualTo("applied");
        assertThat(post(forKey("dda-bank-slip/update.json", inOrder)).get("outcome").asText()).isEqualTo("applied");
        assertThat(post(forKey("dda-bank-slip/update.json", reversed)).get("outcome").asText()).isEqualTo("applied");
        JsonNode early = slipAfter(reversed, 1);
        assertThat(early.get("status").asText()).isEqualTo("paid");
        assertThat(post(forKey("dda-bank-slip/registration.json", reversed)).get("outcome").asText())
                .isEqualTo("applied");

        ObjectNode a = (ObjectNode) slipAfter(inOrder, 2);
        ObjectNode b = (ObjectNode) slipAfter(reversed, 2);
        for (String differs : List.of("key", "first_recorded_at", "last_recorded_at", "position")) {
            a.remove(differs);
            b.remove(differs);
        }
        assertThat(b).isEqualTo(a);
        assertThat(b.get("status").asText()).isEqualTo("paid");
        assertThat(events(reversed)).isEqualTo(2);
    }

    @Test
    void partialPaymentsAccumulateAndAPaymentSettles() {
        String key = "7c52d5f6-0000-4000-8000-00000000b001";
        String rest = ",\"barcode\":\"00193000000001000000500000001234567890123456\","
                + "\"digitable_line\":\"00193000000001000000500000001234567890123456123\",\"total_amount\":1200";
        post(forKey("dda-bank-slip/registration.json", key));
        assertThat(post(update(key, "\"status\":\"partially_paid\",\"total_payment_amount\":100.50" + rest)
                .getBytes()).get("outcome").asText()).isEqualTo("applied");
        post(update(key, "\"status\":\"partially_paid\",\"total_payment_amount\":\"200.00\"" + rest).getBytes());
        JsonNode partial = slipAfter(key, 3);
        assertThat(partial.get("status").asText()).isEqualTo("partially_paid");
        assertThat(partial.get("partially_paid_amount").decimalValue()).isEqualByComparingTo("300.50");
        assertThat(partial.get("partial_payments")).hasSize(2);
        assertThat(partial.get("partial_payments").get(0).get("amount").decimalValue())
                .isEqualByComparingTo("100.50");

        post(update(key, "\"status\":\"paid\",\"total_payment_amount\":899.50" + rest).getBytes());
        JsonNode settled = slipAfter(key, 4);
        assertThat(settled.get("status").asText()).isEqualTo("paid");
        assertThat(settled.get("total_payment_amount").decimalValue()).isEqualByComparingTo("899.50");
        assertThat(settled.get("partially_paid_amount").decimalValue()).isEqualByComparingTo("300.50");
        assertThat(settled.get("partial_payments")).hasSize(2);
        assertThat(settled.get("payer").isNull()).as("the current snapshot is the paid one").isTrue();
    }

    @Test
    void aMalformedBarcodeIsFlaggedNotRefused() {
        String key = "7c52d5f6-0000-4000-8000-00000000c001";
        String body = new String(forKey("dda-bank-slip/registration.json", key), StandardCharsets.UTF_8)
                .replace("\"00193000000001000000500000001234567890123456\"", "\"0019300000000100000\"");
        JsonNode answer = post(body.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get("outcome").asText()).isEqualTo("applied");
        JsonNode slip = slipAfter(key, 1);
        assertThat(slip.get("barcode").asText()).isEqualTo("0019300000000100000");
        assertThat(slip.get("data_quality_flags")).hasSize(1);
        assertThat(slip.get("data_quality_flags").get(0).asText()).isEqualTo("barcode_malformed");
    }

    @Test
    void anUnknownStatusIsQuarantinedWithItsValue() {
        JsonNode answer = post(update("7c52d5f6-0000-4000-8000-00000000d001", "\"status\":\"exploded\"").getBytes());
        assertThat(answer.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(answer.get("reason").asText()).isEqualTo("unknown DDA bank slip status 'exploded' in 'data.status'");
        web.get().uri("/api/v1/dda-bank-slips/7c52d5f6-0000-4000-8000-00000000d001").exchange()
                .expectStatus().isNotFound();
    }
}
