package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.api.UpdateCheckerOff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every bank-slip example of seed 000, byte for byte over HTTP, against the embedded PostgreSQL;
 * state, history and receipts read back through the read API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BankSlipEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    record Example(String file, String key, String status, String eventType) {
    }

    static final List<Example> SEED = List.of(
            new Example("bank-slip/registered.json", "11b13b2c-4204-41b3-8596-2ee7ecbde38c", "registered",
                    "BankSlipRegistered"),
            new Example("bank-slip/payment_notice.json", "03c38d18-d12f-4b5f-841c-afab52fe33c5", "payment_notice",
                    "BankSlipPaymentNotified"),
            new Example("bank-slip/paid_qr_code.json", "505fd25f-89cf-40ca-927c-3800f207146a", "paid",
                    "BankSlipPaid"),
            new Example("bank-slip/written_off.json", "93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf", "written_off",
                    "BankSlipWrittenOff"));

    @Test
    void everySeedExampleIsAppliedRecordedAndReadBack() {
        for (Example example : SEED) {
            byte[] body = Webhooks.read(example.file());
            JsonNode answer = post(body);
            assertThat(answer.get("outcome").asText()).as(example.file()).isEqualTo("applied");
            assertThat(answer.get("position").isIntegralNumber()).isTrue();
            String receipt = answer.get("receipt").asText();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                    .uri("/api/v1/bank-slips/{key}", example.key()).exchange().expectStatus().isOk());
            JsonNode slip = get("/api/v1/bank-slips/" + example.key());
            assertThat(slip.get("status").asText()).isEqualTo(example.status());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get()
                    .uri("/api/v1/bank-slips/{key}/history", example.key()).exchange().expectStatus().isOk());
            JsonNode history = get("/api/v1/bank-slips/" + example.key() + "/history");
            JsonNode event = history.get("events").get(0);
            assertThat(event.get("type").asText()).isEqualTo(example.eventType());
            assertThat(event.get("receipt").asText()).isEqualTo(receipt);
            assertThat(event.get("position").asLong()).isEqualTo(answer.get("position").asLong());
            assertThat(event.get("sequence").asLong()).isZero();
            assertThat(event.hasNonNull("recorded_at")).isTrue();
            assertThat(event.hasNonNull("effective_at")).isTrue();

            byte[] raw = web.get().uri("/api/v1/receipts/{r}/body", receipt).exchange().expectStatus().isOk()
                    .expectBody(byte[].class).returnResult().getResponseBody();
            assertThat(raw).isEqualTo(body);
            JsonNode stored = get("/api/v1/receipts/" + receipt);
            assertThat(stored.get("outcome").asText()).isEqualTo("applied");
            assertThat(stored.get("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void paymentDetailsAreExactAndDecoded() {
        post(Webhooks.read("bank-slip/paid_qr_code.json"));
        String key = "505fd25f-89cf-40ca-927c-3800f207146a";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get().uri("/api/v1/bank-slips/{k}", key)
                .exchange().expectStatus().isOk());
        JsonNode slip = get("/api/v1/bank-slips/" + key);
        assertThat(slip.get("paid_amount").decimalValue()).isEqualByComparingTo("551.5");
        assertThat(slip.get("payment_origin_code").asText()).isEqualTo("901");
        assertThat(slip.get("payment_origin_description").asText()).isEqualTo("Pix QR code");
        assertThat(slip.get("payment_bank").asText()).isEqualTo("329");
        assertThat(slip.get("status_occurred_at").asText()).isEqualTo("2023-01-10T17:08:46Z");

        String written = "93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf";
        post(Webhooks.read("bank-slip/written_off.json"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get().uri("/api/v1/bank-slips/{k}", written)
                .exchange().expectStatus().isOk());
        JsonNode writtenOff = get("/api/v1/bank-slips/" + written);
        assertThat(writtenOff.get("write_off_reason_code").asText()).isEqualTo("16");
        assertThat(writtenOff.get("write_off_reason_description").asText())
                .isEqualTo("written off by the institution after the deadline");
    }

    @Test
    void anIdenticalResendIsADuplicateAndAppendsNothing() {
        byte[] body = Webhooks.read("bank-slip/payment_notice.json");
        JsonNode first = post(body);
        long events = jdbc.sql("SELECT count(*) FROM domainevententry").query(Long.class).single();
        JsonNode again = post(body);
        assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(again.get("receipt").asText()).isEqualTo(first.get("receipt").asText());
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry").query(Long.class).single()).isEqualTo(events);
        assertThat(get("/api/v1/receipts/" + first.get("receipt").asText()).get("attempts").asInt())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLateRegistrationNeverMovesAPaidSlipBack() {
        String key = "7d1f0000-0000-4000-8000-000000000001";
        post(("{\"key\":\"" + key + "\",\"status\":\"paid\",\"webhook_type\":\"bank_slip.status_change\","
                + "\"event_datetime\":\"2023-01-10 14:08:46\",\"data\":{\"paid_amount\":\"10.50\","
                + "\"payment_origin\":3}}").getBytes());
        JsonNode late = post(("{\"key\":\"" + key + "\",\"status\":\"registered\",\"webhook_type\":"
                + "\"bank_slip.status_change\",\"event_datetime\":\"2023-01-09 10:00:00\",\"data\":{\"our_number\":7,"
                + "\"expiration\":\"2023-01-20\",}}").getBytes());
        assertThat(late.get("outcome").asText()).isEqualTo("applied");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode slip = get("/api/v1/bank-slips/" + key);
            assertThat(slip.get("facts_recorded").asInt()).isEqualTo(2);
            assertThat(slip.get("status").asText()).isEqualTo("paid");
            assertThat(slip.get("paid_amount").decimalValue()).isEqualByComparingTo("10.50");
            assertThat(slip.get("our_number").asText()).isEqualTo("7");
            assertThat(slip.get("expiration").asText()).isEqualTo("2023-01-20");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/bank-slips/" + key + "/history").get("events")).hasSize(2));
    }

    @Test
    void unreadableAndUnknownDeliveriesAreQuarantinedNotLost() {
        JsonNode notJson = post("this is not json".getBytes());
        assertThat(notJson.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(notJson.get("reason").asText()).contains("not JSON");
        JsonNode unknown = post("{\"webhook_type\":\"something.new\",\"key\":\"k\"}".getBytes());
        assertThat(unknown.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(unknown.get("reason").asText()).isEqualTo("unknown webhook_type 'something.new'");
        JsonNode badStatus = post(("{\"key\":\"x-1\",\"status\":\"exploded\",\"webhook_type\":"
                + "\"bank_slip.status_change\",\"event_datetime\":\"2023-01-09 10:00:00\"}").getBytes());
        assertThat(badStatus.get("reason").asText()).isEqualTo("unknown bank slip status 'exploded'");
        byte[] raw = web.get().uri("/api/v1/receipts/{r}/body", notJson.get("receipt").asText()).exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(raw)).isEqualTo("this is not json");
    }

    @Test
    void nonJsonContentTypeIs415AndOversizedBodyIs413() {
        web.post().uri("/webhooks/qitech").contentType(MediaType.TEXT_PLAIN).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[1_048_577]).exchange()
                .expectStatus().isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
    }

    /**
     * Issue 20: the history is read from the event store, so it is complete when the delivery's
     * {@code 200} arrives (no waiting for a projection), and each event's data is shown as it was when
     * the history was a jsonb column: keys ordered by length, then bytes, at every depth.
     */
    @Test
    void theHistoryIsTheEventStoresCompleteAtTheAnswerAndShowsTheDataAsItAlwaysHas() {
        String key = "c0ffee00-0000-4000-8000-0000000be001";
        JsonNode registered = post(DeadLetterEndToEndTest.slip("bank-slip/registered.json", key));
        JsonNode paid = post(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", key));

        JsonNode events = get("/api/v1/bank-slips/{k}/history", key).get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("type").asText()).isEqualTo("BankSlipRegistered");
        assertThat(events.get(0).get("position").asLong()).isEqualTo(registered.get("position").asLong());
        assertThat(events.get(0).get("receipt").asText()).isEqualTo(registered.get("receipt").asText());
        assertThat(events.get(1).get("type").asText()).isEqualTo("BankSlipPaid");
        assertThat(events.get(1).get("sequence").asLong()).isOne();
        assertThat(events.get(1).get("position").asLong()).isEqualTo(paid.get("position").asLong());
        assertThat(events.get(1).get("data").get("facts").get("payment").get("paid_amount").decimalValue())
                .isEqualByComparingTo("551.5");
        // the event's own declaration order (bank_slip_key, occurred_at, recorded_at, facts, …) is not it
        assertThat(events.get(1).get("data").fieldNames().next()).isEqualTo("facts");
        events.forEach(event -> assertKeysInJsonbOrder(event.get("data")));

        JsonNode caused = get("/api/v1/receipts/{r}", paid.get("receipt").asText()).get("events");
        assertThat(caused).hasSize(1);
        assertThat(caused.get(0).get("position").asLong()).isEqualTo(paid.get("position").asLong());
        assertThat(caused.get(0).get("aggregate_type").asText()).isEqualTo("BankSlip");
        assertThat(caused.get(0).get("aggregate_key").asText()).isEqualTo(key);
        assertThat(caused.get(0).get("type").asText()).isEqualTo("BankSlipPaid");
        assertThat(caused.get(0).get("sequence").asLong()).isOne();
    }

    private static void assertKeysInJsonbOrder(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            assertThat(names).as(node.toString()).isSortedAccordingTo(
                    java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder()));
        }
        node.elements().forEachRemaining(BankSlipEndToEndTest::assertKeysInJsonbOrder);
    }

    @Test
    void unknownEntitiesAre404() {
        web.get().uri("/api/v1/bank-slips/nope").exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/bank-slips/nope/history").exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/receipts/00000000-0000-0000-0000-000000000000").exchange().expectStatus()
                .isNotFound();
    }

    @Test
    void axonUpdateCheckerIsOff() {
        assertThat(System.getProperty(UpdateCheckerOff.PROPERTY)).isEqualTo("true");
    }
}
