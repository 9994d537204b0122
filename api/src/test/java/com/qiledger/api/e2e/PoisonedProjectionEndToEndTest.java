package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 26: an event the {@code history} projection's database refuses (here a CHECK constraint
 * stands in for any value PostgreSQL rejects: an overflowing number, a NUL in jsonb) used to abort
 * the processor's transaction, so Axon could not park it and retried the same batch forever while
 * every auditor's history stopped. Now it is parked in the dead-letter queue with its entity, every
 * other entity's history keeps updating, later events of the same entity wait behind it, and once
 * the cause is fixed a retry brings the read model back without a rebuild.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PoisonedProjectionEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-poisoned-projection");
    static final String POISONED = "history-poison-0001";
    static final String HEALTHY = "c0ffee00-0000-4000-8000-00000000a001";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    JsonNode history() {
        for (JsonNode p : get("/api/v1/projections").get("processors")) {
            if (p.get("name").asText().equals("history")) {
                return p;
            }
        }
        throw new AssertionError("no history processor in /api/v1/projections");
    }

    @Test
    void aRowTheDatabaseRefusesIsParkedTheHistoryGoesOnAndARetryAfterTheFixBringsItBack() {
        jdbc.sql("ALTER TABLE event_history ADD CONSTRAINT test_refuses_poison "
                + "CHECK (aggregate_key NOT LIKE 'history-poison%')").update();
        try {
            JsonNode poisoned = post(DeadLetterEndToEndTest.slip("bank-slip/registered.json", POISONED));
            assertThat(poisoned.get("outcome").asText()).isEqualTo("applied");
            await().atMost(Duration.ofSeconds(30)).until(() -> history().get("dead_letters").get("count").asInt() == 1);
            JsonNode letter = history().get("dead_letters").get("letters").get(0);
            assertThat(letter.get("entity").asText()).isEqualTo("BankSlip");
            assertThat(letter.get("key").asText()).isEqualTo(POISONED);
            assertThat(letter.get("event_type").asText()).isEqualTo("BankSlipRegistered");
            assertThat(letter.get("position").asLong()).isEqualTo(poisoned.get("position").asLong());
            assertThat(letter.get("cause_message").asText()).contains("test_refuses_poison");

            // every other entity's history keeps updating
            JsonNode healthy = post(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", HEALTHY));
            JsonNode healthyHistory = get("/api/v1/bank-slips/{k}/history?minPosition={p}", HEALTHY,
                    healthy.get("position").asLong());
            assertThat(healthyHistory.toString()).contains("BankSlipPaid");

            // the poisoned entity's next event waits behind the parked one, in order
            JsonNode writtenOff = post(DeadLetterEndToEndTest.slip("bank-slip/written_off.json", POISONED));
            await().atMost(Duration.ofSeconds(30)).until(() -> history().get("dead_letters").get("count").asInt() == 2);
            assertThat(history().get("dead_letters").get("letters").get(1).get("sequence_index").asLong()).isEqualTo(1);
            assertThat(get("/api/v1/bank-slips/{k}?minPosition={p}", POISONED, writtenOff.get("position").asLong())
                    .get("status").asText()).isEqualTo("written_off");

            // a metric says so
            String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).containsPattern("ledger_projection_dead_letters\\{group=\"history\"[^}]*} 2\\.0");
        } finally {
            jdbc.sql("ALTER TABLE event_history DROP CONSTRAINT IF EXISTS test_refuses_poison").update();
        }

        // the cause is fixed: a retry brings the history back, without a rebuild
        JsonNode retried = web.post().uri("/api/v1/dead-letters/history/retry").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(retried.get("sequences_processed").asInt()).isEqualTo(1);
        assertThat(retried.get("remaining").asInt()).isZero();
        JsonNode entries = get("/api/v1/bank-slips/{k}/history", POISONED).get("events");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("type").asText()).isEqualTo("BankSlipRegistered");
        assertThat(entries.get(1).get("sequence").asLong()).isGreaterThan(entries.get(0).get("sequence").asLong());
        assertThat(history().get("dead_letters").get("count").asInt()).isZero();
    }
}
