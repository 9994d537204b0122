package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A projection failing on one entity parks that entity's events in the dead-letter queue while
 * every other event keeps flowing; after the fix an operator retries and the parked events land.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DeadLetterEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-dead-letters");
    static final String POISON = "poison-pill-0001";
    static final String HEALTHY = "c0ffee00-0000-4000-8000-000000000001";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        // the server's own default, synchronous commit, as in production (tests elsewhere turn it off)
        registry.add("ledger.embedded.fsync", () -> "true");
    }

    static byte[] slip(String fixture, String key) {
        String body = new String(Webhooks.read(fixture), StandardCharsets.UTF_8);
        String original = body.replaceAll("(?s).*?\"key\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        return body.replace(original, key).getBytes(StandardCharsets.UTF_8);
    }

    JsonNode poisonLetters() {
        return get("/api/v1/dead-letters").get(PoisonPillProjection.GROUP);
    }

    @Test
    void aFailingEventIsParkedWithItsSequenceTheRestFlowsAndARetryDeliversIt() {
        PoisonPillProjection.failing = true;
        PoisonPillProjection.handled.clear();
        assertThat(post(slip("bank-slip/registered.json", POISON)).get("outcome").asText()).isEqualTo("applied");
        await().atMost(Duration.ofSeconds(10)).until(() -> poisonLetters().size() == 1);
        JsonNode letter = poisonLetters().get(0);
        assertThat(letter.get("sequence").asText()).isEqualTo("BankSlip:" + POISON);
        assertThat(letter.get("cause_message").asText()).contains("poison pill");
        assertThat(letter.get("event_type").asText()).isEqualTo("BankSlipRegistered");

        // the same entity's next event waits behind the parked one; other entities flow
        post(slip("bank-slip/written_off.json", POISON));
        JsonNode healthy = post(slip("bank-slip/paid_qr_code.json", HEALTHY));
        get("/api/v1/bank-slips/{k}?minPosition={p}", HEALTHY, healthy.get("position").asLong());
        await().atMost(Duration.ofSeconds(10)).until(() -> poisonLetters().size() == 2);
        assertThat(poisonLetters().get(1).get("sequence_index").asLong()).isEqualTo(1);
        // the other projections were never affected
        assertThat(get("/api/v1/bank-slips/{k}", POISON).get("status").asText()).isEqualTo("written_off");
        assertThat(PoisonPillProjection.handled).isEmpty();

        PoisonPillProjection.failing = false;
        JsonNode retried = web.post().uri("/api/v1/dead-letters/{g}/retry", PoisonPillProjection.GROUP).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(retried.get("sequences_processed").asInt()).isEqualTo(1);
        assertThat(retried.get("remaining").asInt()).isZero();
        assertThat(PoisonPillProjection.handled).hasSize(2);
        web.post().uri("/api/v1/dead-letters/no-such-group/retry").exchange().expectStatus().isNotFound();
    }

    /**
     * Issue 20: a projection's batch is bounded by PostgreSQL (statement and lock timeouts for its own
     * transaction), not by a Java timer interrupting its thread, and it commits synchronously like
     * everything else (see BatchedProjectionWrites for why not asynchronously).
     */
    @Test
    void projectionBatchesAreBoundedByTheDatabaseAndCommitSynchronously() {
        // statics: another test class's context (another server, fsync off) may have set them
        PoisonPillProjection.statementTimeout = null;
        PoisonPillProjection.synchronousCommit = null;
        post(slip("bank-slip/registered.json", "c0ffee00-0000-4000-8000-00000000b077"));
        await().atMost(Duration.ofSeconds(10)).until(() -> PoisonPillProjection.synchronousCommit != null);
        assertThat(PoisonPillProjection.statementTimeout).isEqualTo("30s");
        assertThat(PoisonPillProjection.synchronousCommit).isEqualTo("on");
        assertThat(jdbc.sql("SHOW statement_timeout").query(String.class).single()).isEqualTo("0");
    }
}
