package com.qiledger.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.LedgerApplication;
import com.qiledger.api.e2e.TestDataDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fault 2: PostgreSQL stops while deliveries stream in, and starts again on the same port some
 * seconds later. Meanwhile every delivery is answered 503 (with Retry-After) inside the provider's
 * 10 s, never 200 unless committed; afterwards the same running service (its pool, its processors)
 * answers 200 again and its read models catch up, without a restart.
 */
class DatabaseOutageTest {

    static final int CLIENTS = 4;
    static final Duration OUTAGE = Duration.ofSeconds(6);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anOutageIsAnswered503InTimeAndTheServiceRecoversByItself() {
        long started = System.nanoTime();
        try (FaultDatabase database = FaultDatabase.start("fault-outage");
                ConfigurableApplicationContext service = node(database)) {
            Http http = new Http(Integer.parseInt(service.getEnvironment().getProperty("local.server.port")));
            Ledger ledger = new Ledger();
            long stoppedAt;
            long restartedAt;
            Duration recovered;
            Load load = new Load("outage", CLIENTS, i -> http, ledger);
            try {
                Faults.await("deliveries acknowledged before the outage", Duration.ofSeconds(60),
                        () -> ledger.acknowledged() >= 50);
                stoppedAt = System.nanoTime();
                database.stop();
                Faults.sleep(OUTAGE.toMillis());
                database.restart();
                restartedAt = System.nanoTime();
                recovered = Faults.await("a 200 sent after the restart", Duration.ofSeconds(60),
                        () -> load.answers().stream().anyMatch(s -> s.sentAt() > restartedAt && s.answer().ok()));
                int atRecovery = load.sent();
                Faults.await("more deliveries after the recovery", Duration.ofSeconds(30),
                        () -> load.sent() >= atRecovery + 50);
            } finally {
                load.stop();
            }

            List<Load.Sent> answers = load.answers();
            Map<String, Integer> byPhase = new TreeMap<>();
            Duration slowest = Duration.ZERO;
            List<String> wrong = new ArrayList<>();
            for (Load.Sent sent : answers) {
                String phase = sent.sentAt() < stoppedAt ? "1-before" : sent.sentAt() < restartedAt ? "2-outage"
                        : "3-after";
                byPhase.merge(phase + ":" + sent.answer().status(), 1, Integer::sum);
                slowest = sent.answer().took().compareTo(slowest) > 0 ? sent.answer().took() : slowest;
                int status = sent.answer().status();
                if (status != 200 && !(status == 503 && sent.answer().text("type") != null)) {
                    wrong.add(sent.delivery() + ": " + status + " " + sent.answer().failure());
                }
            }
            Map<String, Integer> resent = load.resendOwed(http);

            // the processors recovered too: a delivery now is readable at its position
            byte[] fresh = Deliveries.of("bank-slip/paid_qr_code.json", "outage-after");
            Http.Answer answer = http.post(fresh);
            ledger.record(fresh, answer);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.text("outcome")).isEqualTo("applied");
            Duration readable = Faults.await("the read models reach the new delivery's position", Duration.ofSeconds(60),
                    () -> http.get("/api/v1/receipts/" + answer.text("receipt") + "?minPosition=" + answer.position())
                            .ok());

            Ledger.Audit audit = ledger.audit(database.jdbc());
            Faults.report("DatabaseOutageTest", audit.figures() + "; answers by phase:status " + byPhase
                    + ", slowest answer " + slowest.toMillis() + " ms, outage " + OUTAGE.toSeconds()
                    + " s, first 200 " + recovered.toMillis() + " ms after the restart, owed and resent " + resent
                    + ", new delivery readable (minPosition) after " + readable.toMillis() + " ms; wall "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");

            assertThat(wrong).as("answers other than 200 or a 503 problem").isEmpty();
            assertThat(slowest).as("slowest answer").isLessThan(Http.PROVIDER_PATIENCE);
            assertThat(byPhase.getOrDefault("2-outage:503", 0)).as("503s during the outage").isPositive();
            assertThat(audit.lost()).as("acknowledged deliveries missing after the outage").isEmpty();
            assertThat(audit.halfApplied()).as("half-applied deliveries after the outage").isEmpty();
            assertThat(answers.stream().filter(s -> s.answer().status() == 503))
                    .allSatisfy(s -> assertThat(s.answer().body().get("type").asText()).contains("store-unavailable"));
        }
    }

    static ConfigurableApplicationContext node(FaultDatabase database) {
        List<String> properties = new ArrayList<>(List.of(database.nodeProperties()));
        properties.addAll(List.of("server.port=0", "server.address=127.0.0.1",
                "ledger.data-dir=" + TestDataDirs.create("outage-node").resolve("unused")));
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.REACTIVE)
                .profiles("test")
                .properties(properties.toArray(String[]::new))
                // an argument, not a default: application.yml's server.port (8080) outranks .properties()
                .run("--server.port=0");
    }
}
