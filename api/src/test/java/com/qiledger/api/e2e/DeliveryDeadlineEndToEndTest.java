package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 26, bounded work per delivery: a delivery whose work cannot finish (here the event store is
 * locked by another transaction) stops at its deadline ({@code ledger.webhook.deadline}), rolls back
 * and leaves nothing waiting in the database; it is answered 503 so the provider resends, and the
 * attempt that reaches {@code ledger.webhook.max-failures} is quarantined with the failure as its
 * reason instead of answering 503 forever. Nothing is lost: a re-drive applies it once the cause is
 * gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DeliveryDeadlineEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-delivery-deadline");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.webhook.deadline", () -> "1s");
        registry.add("ledger.webhook.max-failures", () -> "3");
    }

    @Autowired
    DataSource dataSource;

    int status(byte[] body) {
        return web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().returnResult(String.class).getStatus().value();
    }

    long waitingOnLocks() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                + "AND datname = current_database()");
    }

    @Test
    void aDeliveryThatKeepsTimingOutIsQuarantinedAtItsThirdAttemptAndLeavesNothingRunning() throws Exception {
        byte[] body = DeadLetterEndToEndTest.slip("bank-slip/registered.json", "deadline-0001");
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("LOCK TABLE domainevententry IN SHARE MODE");
            }
            for (int attempt = 1; attempt <= 2; attempt++) {
                long started = System.nanoTime();
                assertThat(status(body)).as("attempt %d", attempt).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                // the attempt stopped by itself: nothing of it still waits in the database
                assertThat(waitingOnLocks()).isZero();
                assertThat(count("SELECT count(*) FROM receipt")).isZero();
            }
            JsonNode third = post(body);
            assertThat(third.get("outcome").asText()).isEqualTo("quarantined");
            assertThat(third.get("reason").asText()).startsWith("gave up after 3 failed attempts; the last: ")
                    .containsAnyOf("deadline", "statement timeout");
            assertThat(waitingOnLocks()).isZero();
            // a resend now is the same delivery
            assertThat(post(body).get("outcome").asText()).isEqualTo("duplicate");
            blocker.rollback();
        }
        // the cause gone, the operator re-drives: applied, once
        JsonNode redriven = web.post().uri("/api/v1/receipts/{r}/redrive", post(body).get("receipt").asText())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(redriven.get("outcome").asText()).isEqualTo("applied");
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:deadline-0001'"))
                .isEqualTo(1);
    }

    @Test
    void aBodyWhoseEarlierAttemptsFailedIsQuarantinedWhenItComesBack() throws Exception {
        byte[] body = DeadLetterEndToEndTest.slip("bank-slip/registered.json", "deadline-0002");
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
        jdbc.sql("INSERT INTO delivery_failure (body_sha256, failures, last_reason, first_failed_at, last_failed_at) "
                + "VALUES (:sha, 5, 'timed out in a test', now(), now())").param("sha", sha).update();
        JsonNode answer = post(body);
        assertThat(answer.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(answer.get("reason").asText()).isEqualTo("gave up after 5 failed attempts; the last: timed out in a test");
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:deadline-0002'"))
                .isZero();
        assertThat(new String(web.get().uri("/api/v1/receipts/{r}/body", answer.get("receipt").asText()).exchange()
                .expectBody(byte[].class).returnResult().getResponseBody(), StandardCharsets.UTF_8))
                .isEqualTo(new String(body, StandardCharsets.UTF_8));
    }
}
