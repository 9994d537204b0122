package com.qiledger.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault 1: a node is SIGKILLed while deliveries stream in, and started again on the same database.
 * Whatever it acknowledged is there afterwards; what it was doing when it died either committed
 * whole (receipt and events) or not at all; the provider's resends of the unanswered deliveries are
 * applied or found duplicate; and the read models catch up after the restart.
 */
class NodeKillTest {

    static final int CLIENTS = 8;
    static final int ACKNOWLEDGED_BEFORE_KILL = 150;

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aNodeKilledUnderLoadKeepsEveryAcknowledgedDeliveryAndLeavesNothingHalfApplied() throws Exception {
        long started = System.nanoTime();
        try (FaultDatabase database = FaultDatabase.start("fault-kill")) {
            Ledger ledger = new Ledger();
            Load load;
            int acknowledgedBeforeKill;
            try (LedgerNode first = LedgerNode.start("kill-first", database)) {
                load = new Load("kill", CLIENTS, i -> first.http, ledger);
                Faults.await("deliveries acknowledged before the kill", Duration.ofSeconds(60),
                        () -> ledger.acknowledged() >= ACKNOWLEDGED_BEFORE_KILL);
                load.halt();
                first.kill(); // with the clients' last requests in flight
                load.stop();
                acknowledgedBeforeKill = ledger.acknowledged();
            }
            int sent = load.sent();
            int inFlight = load.unanswered().size();

            try (LedgerNode second = LedgerNode.start("kill-second", database)) {
                // the provider resends every delivery it has no 200 for: applied when the kill came
                // before its commit, duplicate when only the answer was lost
                Map<String, Integer> resent = load.resendOwed(second.http);

                Ledger.Audit audit = ledger.audit(database.jdbc());
                long head = database.jdbc().sql("SELECT max(globalindex) FROM domainevententry").query(Long.class)
                        .single();
                Duration caughtUp = Faults.await("read models at the head after the restart", Duration.ofSeconds(60),
                        () -> second.http.get("/api/v1/projections?minPosition=" + head).ok());
                Faults.report("NodeKillTest", audit.figures() + "; sent=" + sent + ", acknowledged before SIGKILL="
                        + acknowledgedBeforeKill + ", in flight at SIGKILL and resent=" + inFlight + " " + resent
                        + ", read models at the head " + caughtUp.toMillis() + " ms after the resends; wall "
                        + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
                assertThat(audit.lost()).as("acknowledged deliveries missing after SIGKILL").isEmpty();
                assertThat(database.chainBreaks()).as("breaks of the hash chains after SIGKILL").isEmpty();
                assertThat(audit.halfApplied()).as("half-applied deliveries after SIGKILL").isEmpty();
                assertThat(acknowledgedBeforeKill).isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
                assertThat(inFlight).as("deliveries cut off by the kill").isPositive();
                assertThat(audit.acknowledged()).as("every delivery acknowledged in the end").isEqualTo(sent);
                assertThat(ledger.acks()).allSatisfy(ack -> assertThat(ack.outcome()).isIn("applied", "duplicate"));
            }
        }
    }
}
