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
 * Issue 26: an event a projection's database refuses (here a CHECK constraint stands in for any value
 * PostgreSQL rejects: an overflowing number, a NUL in jsonb) used to abort the processor's
 * transaction, so Axon could not park it and retried the same batch forever while that read model
 * stopped. Now it is parked in the dead-letter queue with its entity, every other entity keeps
 * updating, later events of the same entity wait behind it, and once the cause is fixed a retry
 * brings the read model back without a rebuild. The auditors' history, read from the event store
 * since issue 20, shows the parked entity's events throughout.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PoisonedProjectionEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-poisoned-projection");
    static final String POISONED = "view-poison-0001";
    static final String HEALTHY = "c0ffee00-0000-4000-8000-00000000a001";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    JsonNode slips() {
        for (JsonNode p : get("/api/v1/projections").get("processors")) {
            if (p.get("name").asText().equals("bank-slips")) {
                return p;
            }
        }
        throw new AssertionError("no bank-slips processor in /api/v1/projections");
    }

    @Test
    void aRowTheDatabaseRefusesIsParkedTheOthersGoOnAndARetryAfterTheFixBringsItBack() {
        jdbc.sql("ALTER TABLE bank_slip_view ADD CONSTRAINT test_refuses_poison "
                + "CHECK (bank_slip_key NOT LIKE 'view-poison%')").update();
        try {
            JsonNode poisoned = post(DeadLetterEndToEndTest.slip("bank-slip/registered.json", POISONED));
            assertThat(poisoned.get("outcome").asText()).isEqualTo("applied");
            await().atMost(Duration.ofSeconds(30)).until(() -> slips().get("dead_letters").get("count").asInt() == 1);
            JsonNode letter = slips().get("dead_letters").get("letters").get(0);
            assertThat(letter.get("entity").asText()).isEqualTo("BankSlip");
            assertThat(letter.get("key").asText()).isEqualTo(POISONED);
            assertThat(letter.get("event_type").asText()).isEqualTo("BankSlipRegistered");
            assertThat(letter.get("position").asLong()).isEqualTo(poisoned.get("position").asLong());
            assertThat(letter.get("cause_message").asText()).contains("test_refuses_poison");

            // every other entity keeps updating
            JsonNode healthy = post(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", HEALTHY));
            assertThat(get("/api/v1/bank-slips/{k}?minPosition={p}", HEALTHY, healthy.get("position").asLong())
                    .get("status").asText()).isEqualTo("paid");

            // the poisoned entity's next event waits behind the parked one, in order
            JsonNode writtenOff = post(DeadLetterEndToEndTest.slip("bank-slip/written_off.json", POISONED));
            await().atMost(Duration.ofSeconds(30)).until(() -> slips().get("dead_letters").get("count").asInt() == 2);
            assertThat(slips().get("dead_letters").get("letters").get(1).get("sequence_index").asLong()).isEqualTo(1);
            web.get().uri("/api/v1/bank-slips/{k}", POISONED).exchange().expectStatus().isNotFound();
            // while the auditors' history, the event store's, has both events at once
            JsonNode history = get("/api/v1/bank-slips/{k}/history", POISONED).get("events");
            assertThat(history).hasSize(2);
            assertThat(history.get(1).get("position").asLong()).isEqualTo(writtenOff.get("position").asLong());

            // a metric says so
            String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).containsPattern("ledger_projection_dead_letters\\{group=\"bank-slips\"[^}]*} 2\\.0");
        } finally {
            jdbc.sql("ALTER TABLE bank_slip_view DROP CONSTRAINT IF EXISTS test_refuses_poison").update();
        }

        // the cause is fixed: a retry brings the view back, without a rebuild
        JsonNode retried = web.post().uri("/api/v1/dead-letters/bank-slips/retry").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(retried.get("sequences_processed").asInt()).isEqualTo(1);
        assertThat(retried.get("remaining").asInt()).isZero();
        JsonNode slip = get("/api/v1/bank-slips/{k}", POISONED);
        assertThat(slip.get("status").asText()).isEqualTo("written_off");
        assertThat(slips().get("dead_letters").get("count").asInt()).isZero();
    }
}
