package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Seed 003 byte for byte over HTTP: one webhook, two batches, exact figures, safe to resend. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ConciliationBatchEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-batch");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    JsonNode batch(String key) {
        return web.get().uri("/api/v1/conciliation-batches/{k}", key).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void theSeedCreatesTwoBatchesAndAResendAddsNothing() {
        byte[] body = Webhooks.read("conciliation-batch/creation.json");
        JsonNode answer = post(body);
        assertThat(answer.get("outcome").asText()).isEqualTo("applied");
        long events = jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier LIKE "
                + "'ConciliationBatch:9%fc62fd-b0a0-4604-9bea-475e91a9dc82'").query(Long.class).single();
        assertThat(events).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                .uri("/api/v1/conciliation-batches/99fc62fd-b0a0-4604-9bea-475e91a9dc82").exchange()
                .expectStatus().isOk());
        JsonNode fixed = batch("98fc62fd-b0a0-4604-9bea-475e91a9dc82");
        assertThat(fixed.get("type").asText()).isEqualTo("fixed_amount");
        assertThat(fixed.get("status").asText()).isEqualTo("open");
        assertThat(fixed.get("total_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(fixed.get("open_payment_orders").asLong()).isZero();
        assertThat(fixed.get("reference_date").asText()).isEqualTo("2025-06-13");
        assertThat(batch("99fc62fd-b0a0-4604-9bea-475e91a9dc82").get("type").asText()).isEqualTo("variable_amount");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                .uri("/api/v1/conciliation-batches/98fc62fd-b0a0-4604-9bea-475e91a9dc82/history").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.events[0].type").isEqualTo("ConciliationBatchCreated"));

        JsonNode again = post(body);
        assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier LIKE "
                + "'ConciliationBatch:9%fc62fd-b0a0-4604-9bea-475e91a9dc82'").query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aResendAfterAPartialFailureCompletesWhatWasMissingAndDoublesNothing() {
        String body = """
                {"webhook_type":"baas.automatic_pix.payment_order_conciliation_batch.creation",
                 "webhook_datetime":"2025-06-10T20:30:23.459Z",
                 "data":{"payment_order_conciliation_batches":[
                  {"payment_order_conciliation_batch_key":"c1000000-0000-4000-8000-000000000001",
                   "payment_order_conciliation_batch_status":"open","payment_order_conciliation_batch_type":"fixed_amount",
                   "account_key":"a","total_amount":"100.10","conciliated_amount":40,"total_payment_orders":3,
                   "conciliated_payment_orders":1,"reference_date":"2025-06-13","created_at":"2025-06-10T20:30:23.459Z"},
                  {"payment_order_conciliation_batch_key":"c1000000-0000-4000-8000-000000000002",
                   "payment_order_conciliation_batch_status":"open","payment_order_conciliation_batch_type":"fixed_amount",
                   "account_key":"a","total_amount":5,"conciliated_amount":0,"total_payment_orders":1,
                   "conciliated_payment_orders":0,"reference_date":"2025-06-13","created_at":"2025-06-10T20:30:23.459Z"}]}}
                """;
        // An earlier delivery of the same batch list got only the first batch in (here: sent alone).
        String firstOnly = body.replaceFirst(",\\s*\\{\"payment_order_conciliation_batch_key\":\"c1000000-0000-4000-8000-000000000002\"[^}]*}", "");
        assertThat(post(firstOnly.getBytes()).get("outcome").asText()).isEqualTo("applied");
        JsonNode full = post(body.getBytes());
        assertThat(full.get("outcome").asText()).isEqualTo("applied");
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier LIKE "
                + "'ConciliationBatch:c1000000%'").query(Long.class).single()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                .uri("/api/v1/conciliation-batches/c1000000-0000-4000-8000-000000000002").exchange()
                .expectStatus().isOk());
        JsonNode first = batch("c1000000-0000-4000-8000-000000000001");
        assertThat(first.get("open_amount").decimalValue()).isEqualByComparingTo("60.10");
        assertThat(first.get("open_payment_orders").asLong()).isEqualTo(2);
        assertThat(first.get("facts_recorded").asInt()).isEqualTo(1);
    }
}
