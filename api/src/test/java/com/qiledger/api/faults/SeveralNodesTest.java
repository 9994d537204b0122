package com.qiledger.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes (two JVMs) on one PostgreSQL behave as one ledger, and both take projection work: the
 * segments of every processor that has several end up claimed by both nodes (their fair share), deliveries spread over both
 * are readable on either with {@code minPosition}, nothing is parked as a dead letter; when one node
 * is SIGKILLed, the other takes over its segments once their claims time out, and carries on.
 */
class SeveralNodesTest {

    static final int CLIENTS = 8;
    static final int DELIVERIES = 120;
    static final String PAID_SLIP = "505fd25f-89cf-40ca-927c-3800f207146a";
    /**
     * Processors with one segment, processed by one node: the finance fold and the journal (one segment
     * on purpose, see application.yml) and the test-only com.qiledger.api.e2e.PoisonPillProjection.
     */
    static final Set<String> ONE_SEGMENT = Set.of("money-movements", "journal", "poison-pill");

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyNodeTakesProjectionWorkAndTheSurvivorTakesOverADeadNodesSegments() {
        long started = System.nanoTime();
        try (FaultDatabase database = FaultDatabase.start("fault-nodes");
                LedgerNode a = LedgerNode.launch("nodes-a", database);
                LedgerNode b = LedgerNode.launch("nodes-b", database)) {
            a.awaitHealthy(Duration.ofSeconds(90));
            b.awaitHealthy(Duration.ofSeconds(90));
            String idA = a.http.get("/api/v1/nodes").text("answered_by");
            String idB = b.http.get("/api/v1/nodes").text("answered_by");
            assertThat(idA).isNotEqualTo(idB);

            // every processor's segments are shared: each node claims some of every processor
            // that has several segments
            Duration split = Faults.await("both nodes claim segments of every processor", Duration.ofSeconds(60),
                    () -> owners(a).entrySet().stream().filter(p -> !ONE_SEGMENT.contains(p.getKey()))
                            .allMatch(p -> p.getValue().equals(Set.of(idA, idB))),
                    () -> "a=" + idA + " b=" + idB + " owners " + owners(a));
            Map<String, Set<String>> ownersSeenByB = owners(b);
            assertThat(ownersSeenByB.get("money-movements")).hasSize(1);
            ownersSeenByB.keySet().removeAll(ONE_SEGMENT);
            assertThat(ownersSeenByB).containsOnlyKeys("bank-slips", "conciliation-batches", "dda-bank-slips",
                    "debts", "installments", "partner-requests");
            assertThat(ownersSeenByB).allSatisfy((p, o) -> assertThat(o).as(p).containsOnly(idA, idB));

            // deliveries spread over both nodes, concurrently
            Ledger ledger = new Ledger();
            Load load = new Load("nodes", CLIENTS, i -> i % 2 == 0 ? a.http : b.http, ledger);
            Faults.await("deliveries acknowledged by the two nodes", Duration.ofSeconds(60),
                    () -> ledger.acknowledged() >= DELIVERIES);
            load.stop();
            Map<String, Integer> resent = load.resendOwed(a.http);
            long head = head(database.jdbc());

            // either node answers every read at the head: all read models complete on both
            for (LedgerNode node : new LedgerNode[] {a, b}) {
                Faults.await("read models at the head on " + node.name, Duration.ofSeconds(60),
                        () -> node.http.get("/api/v1/projections?minPosition=" + head).ok());
                JsonNode status = node.http.get("/api/v1/projections").body();
                status.get("processors").forEach(p -> assertThat(p.get("lag").asLong()).as(p.toString()).isZero());
            }
            // a slip paid through one node reads as paid on both (delivery 1 is the paid slip, sent to b)
            String slip = Deliveries.key("nodes-0", PAID_SLIP);
            assertThat(Deliveries.template(1)).isEqualTo("bank-slip/paid_qr_code.json");
            for (LedgerNode node : new LedgerNode[] {a, b}) {
                Http.Answer read = node.http.get("/api/v1/bank-slips/" + slip + "?minPosition=" + head);
                assertThat(read.status()).as(node.name + ": " + read.body()).isEqualTo(200);
                assertThat(read.text("status")).isEqualTo("paid");
            }
            JdbcClient jdbc = database.jdbc();
            assertThat(count(jdbc, "SELECT count(*) FROM deadletterentry")).as("dead letters").isZero();
            // every bank slip's events are folded into its view exactly once, the last one at its own
            // position, whichever node processed its segment and in whatever order concurrent
            // transactions committed
            assertThat(count(jdbc, "SELECT count(*) FROM bank_slip_view")).isPositive();
            assertThat(count(jdbc, """
                    SELECT count(*)
                    FROM (SELECT substr(aggregateidentifier, length('BankSlip:') + 1) AS slip, count(*) AS events,
                                 max(globalindex) AS last
                          FROM domainevententry WHERE aggregateidentifier LIKE 'BankSlip:%' GROUP BY 1) e
                    FULL JOIN bank_slip_view v ON v.bank_slip_key = e.slip
                    WHERE v.facts_recorded IS DISTINCT FROM e.events OR v.position IS DISTINCT FROM e.last"""))
                    .as("slips folded more or less than once, or misplaced").isZero();

            // node b dies: a takes over b's segments when their claims time out, and carries on
            long killedAt = System.nanoTime();
            b.kill();
            Duration failover = Faults.await("a claims every segment after b's death", Duration.ofSeconds(60),
                    () -> owners(a).values().stream().allMatch(o -> o.equals(Set.of(idA))),
                    () -> "a=" + idA + " owners " + owners(a));
            byte[] after = Deliveries.of("bank-slip/written_off.json", "nodes-after-failover");
            Http.Answer answer = a.http.post(after);
            ledger.record(after, answer);
            assertThat(answer.status()).isEqualTo(200);
            Http.Answer read = a.http.get("/api/v1/bank-slips/"
                    + Deliveries.key("nodes-after-failover", "93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf")
                    + "?minPosition=" + answer.position());
            assertThat(read.status()).as(String.valueOf(read.body())).isEqualTo(200);
            assertThat(read.text("status")).isEqualTo("written_off");

            Ledger.Audit audit = ledger.audit(jdbc);
            Faults.report("SeveralNodesTest", audit.figures() + "; both nodes claimed segments of each of the "
                    + ownersSeenByB.size() + " two-segment processors " + split.toMillis() + " ms after both were up, "
                    + "deliveries to both nodes, resent " + resent + ", read models at head " + head
                    + " on both; after SIGKILL of b, a claimed every segment in "
                    + Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms (await " + failover.toMillis()
                    + " ms); wall " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
            assertThat(audit.lost()).as("acknowledged deliveries missing").isEmpty();
            assertThat(audit.halfApplied()).as("half-applied deliveries").isEmpty();
            assertThat(database.chainBreaks()).as("breaks of the hash chains written by both nodes").isEmpty();
        }
    }

    /** Per processor, the nodes that claim its segments, as GET /api/v1/projections shows them. */
    static Map<String, Set<String>> owners(LedgerNode node) {
        Map<String, Set<String>> owners = new TreeMap<>();
        JsonNode status = node.http.get("/api/v1/projections").body();
        if (status == null || status.get("processors") == null) {
            return Map.of("(no answer)", Set.of());
        }
        status.get("processors").forEach(p -> {
            Set<String> claimedBy = new TreeSet<>();
            p.get("segments").forEach(s -> {
                if (s.hasNonNull("owner")) {
                    claimedBy.add(s.get("owner").asText());
                }
            });
            owners.put(p.get("name").asText(), claimedBy);
        });
        return owners;
    }

    static long head(JdbcClient jdbc) {
        return jdbc.sql("SELECT max(globalindex) FROM domainevententry").query(Long.class).single();
    }

    static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
