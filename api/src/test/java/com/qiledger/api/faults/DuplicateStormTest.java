package com.qiledger.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fault 3: a duplicate storm over two nodes (two JVMs) on one PostgreSQL. Every delivery is sent
 * twice, once to each node, all copies shuffled and fired at once; some facts also arrive in other
 * bytes (re-serialised), again twice each. Every fact is applied exactly once: per fact one copy is
 * answered applied and every other copy duplicate, every body has one receipt counting each of its
 * arrivals, and the events in the store are exactly those of one application of each fact.
 */
class DuplicateStormTest {

    /** Distinct facts; every third also arrives re-serialised. */
    static final int FACTS = 72;
    static final int SHOOTERS = 32;

    record Copy(int fact, int body, byte[] bytes, LedgerNode node) {
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyDeliverySentTwiceToDifferentNodesIsAppliedOnce() throws Exception {
        long started = System.nanoTime();
        try (FaultDatabase database = FaultDatabase.start("fault-storm");
                LedgerNode a = LedgerNode.launch("storm-a", database);
                LedgerNode b = LedgerNode.launch("storm-b", database)) {
            a.awaitHealthy(Duration.ofSeconds(90));
            b.awaitHealthy(Duration.ofSeconds(90));
            JdbcClient jdbc = database.jdbc();
            Ledger ledger = new Ledger();

            // how many events one application of each template makes (on fresh entities)
            Map<String, Long> eventsOf = new HashMap<>();
            for (String template : Deliveries.TEMPLATES) {
                byte[] body = Deliveries.of(template, "storm-reference");
                Http.Answer answer = a.http.post(body);
                assertThat(answer.text("outcome")).as(template).isEqualTo("applied");
                ledger.record(body, answer);
                eventsOf.put(template, eventsOf(jdbc, List.of(answer.text("receipt"))));
            }
            long referenceEvents = eventsOf.values().stream().mapToLong(Long::longValue).sum();

            // the storm: each body twice, one copy per node, shuffled, at once
            List<Copy> copies = new ArrayList<>();
            List<List<byte[]>> bodiesOfFact = new ArrayList<>();
            for (int fact = 0; fact < FACTS; fact++) {
                byte[] original = Deliveries.of(Deliveries.template(fact), "storm-" + fact);
                List<byte[]> bodies = fact % 3 == 0 ? List.of(original, Deliveries.reserialised(original))
                        : List.of(original);
                bodiesOfFact.add(bodies);
                for (int body = 0; body < bodies.size(); body++) {
                    copies.add(new Copy(fact, body, bodies.get(body), a));
                    copies.add(new Copy(fact, body, bodies.get(body), b));
                }
            }
            Collections.shuffle(copies, new Random(7));
            Map<Copy, Http.Answer> answers = fire(copies);

            // the provider resends what was not answered 200, to the same node
            int resends = 0;
            for (Map.Entry<Copy, Http.Answer> entry : answers.entrySet()) {
                for (int attempt = 0; !entry.getValue().ok() && attempt < 20; attempt++) {
                    Faults.sleep(200);
                    entry.setValue(entry.getKey().node().http.post(entry.getKey().bytes()));
                    resends++;
                }
                assertThat(entry.getValue().status()).as("copy of fact %d: %s", entry.getKey().fact(),
                        entry.getValue().body()).isEqualTo(200);
                ledger.record(entry.getKey().bytes(), entry.getValue());
            }

            List<String> wrong = new ArrayList<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            long expectedEvents = referenceEvents;
            for (int fact = 0; fact < FACTS; fact++) {
                int f = fact;
                Map<Copy, Http.Answer> ofFact = answers.entrySet().stream().filter(e -> e.getKey().fact() == f)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                ofFact.values().forEach(x -> outcomes.merge(x.text("outcome"), 1, Integer::sum));
                long applied = ofFact.values().stream().filter(x -> "applied".equals(x.text("outcome"))).count();
                long duplicates = ofFact.values().stream().filter(x -> "duplicate".equals(x.text("outcome"))).count();
                if (applied != 1 || duplicates != ofFact.size() - 1) {
                    wrong.add("fact " + fact + ": " + applied + " applied, " + duplicates + " duplicate of "
                            + ofFact.size());
                }
                // one receipt per body, counting both arrivals
                Set<String> receipts = new java.util.TreeSet<>();
                for (int body = 0; body < bodiesOfFact.get(fact).size(); body++) {
                    int bd = body;
                    Set<String> ofBody = ofFact.entrySet().stream().filter(e -> e.getKey().body() == bd)
                            .map(e -> e.getValue().text("receipt")).collect(Collectors.toSet());
                    if (ofBody.size() != 1) {
                        wrong.add("fact " + fact + " body " + body + ": receipts " + ofBody);
                    }
                    receipts.addAll(ofBody);
                    int attempts = jdbc.sql("SELECT attempts FROM receipt WHERE receipt_id = :id")
                            .param("id", UUID.fromString(ofBody.iterator().next())).query(Integer.class).single();
                    if (attempts != 2) {
                        wrong.add("fact " + fact + " body " + body + ": " + attempts + " attempts recorded");
                    }
                }
                long events = eventsOf(jdbc, List.copyOf(receipts));
                long expected = eventsOf.get(Deliveries.template(fact));
                expectedEvents += expected;
                if (events != expected) {
                    wrong.add("fact " + fact + " (" + Deliveries.template(fact) + "): " + events + " events, expected "
                            + expected);
                }
            }
            long storedEvents = jdbc.sql("SELECT count(*) FROM domainevententry").query(Long.class).single();

            Ledger.Audit audit = ledger.audit(jdbc);
            Faults.report("DuplicateStormTest", audit.figures() + "; " + FACTS + " facts in " + copies.size()
                    + " copies over 2 nodes (each body twice, every third fact also re-serialised): answers "
                    + outcomes + ", resends after 503 " + resends + ", events " + storedEvents + " (expected "
                    + expectedEvents + "); wall " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
            assertThat(wrong).as("facts not applied exactly once").isEmpty();
            assertThat(storedEvents).as("events in the store").isEqualTo(expectedEvents);
            assertThat(audit.lost()).as("acknowledged deliveries missing").isEmpty();
            assertThat(database.chainBreaks()).as("breaks of the hash chains after the storm").isEmpty();
            assertThat(audit.halfApplied()).as("half-applied deliveries").isEmpty();
        }
    }

    /** Fires every copy at the same instant from {@value #SHOOTERS} threads; the answers by copy. */
    static Map<Copy, Http.Answer> fire(List<Copy> copies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SHOOTERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Map<Copy, Future<Http.Answer>> pending = new java.util.LinkedHashMap<>();
            for (Copy copy : copies) {
                pending.put(copy, pool.submit(() -> {
                    go.await();
                    return copy.node().http.post(copy.bytes());
                }));
            }
            go.countDown();
            Map<Copy, Http.Answer> answers = new java.util.LinkedHashMap<>();
            for (Map.Entry<Copy, Future<Http.Answer>> entry : pending.entrySet()) {
                answers.put(entry.getKey(), entry.getValue().get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    static long eventsOf(JdbcClient jdbc, List<String> receipts) {
        return jdbc.sql("""
                        SELECT count(*) FROM domainevententry
                        WHERE convert_from(metadata, 'UTF8')::jsonb ->> 'receiptId' IN (:receipts)
                        """)
                .param("receipts", receipts).query(Long.class).single();
    }
}
