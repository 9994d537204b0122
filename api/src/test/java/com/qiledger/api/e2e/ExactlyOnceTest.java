package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.LedgerApplication;
import com.qiledger.api.intake.IntakeAnswer;
import com.qiledger.api.intake.IntakeAnswer.Outcome;
import com.qiledger.api.intake.IntakeService;
import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes sharing one PostgreSQL, deliveries fired at both at the same instant. "The same
 * delivery" is the same body bytes (the provider resends identical bodies): the unique constraint on
 * the body's SHA-256 decides, so exactly one is applied. Different bodies carrying the same fact are
 * decided by the aggregate (one applies, the others find the fact recorded); different facts for one
 * entity all land, serialised by the event store's sequence constraint and retried.
 */
class ExactlyOnceTest {

    static final int PER_NODE = 8;
    static EmbeddedPostgres database;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startTwoNodes() {
        database = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(TestDataDirs.create("two-nodes"))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false));
        nodeA = node();
        nodeB = node();
    }

    static ConfigurableApplicationContext node() {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .properties("spring.datasource.url=" + database.jdbcUrl(),
                        "spring.datasource.username=" + database.username(),
                        "spring.datasource.password=" + database.password(),
                        "ledger.webhook.auth=none",
                        "ledger.security.open=true",
                        "ledger.data-dir=" + TestDataDirs.create("node").resolve("unused"))
                .run();
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        nodeA.close();
        database.close();
    }

    /** Fires {@code 2 * PER_NODE} deliveries at once, alternating between the nodes. */
    static List<IntakeAnswer> fireAtOnce(IntFunction<byte[]> bodyOf) throws Exception {
        int total = 2 * PER_NODE;
        ExecutorService pool = Executors.newFixedThreadPool(total);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IntakeAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                IntakeService intake = (i % 2 == 0 ? nodeA : nodeB).getBean(IntakeService.class);
                byte[] body = bodyOf.apply(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return intake.receive(body, "application/json");
                }));
            }
            start.countDown();
            List<IntakeAnswer> done = new ArrayList<>();
            for (Future<IntakeAnswer> answer : answers) {
                done.add(answer.get());
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<Outcome, Long> outcomes(List<IntakeAnswer> answers) {
        return answers.stream().collect(Collectors.groupingBy(IntakeAnswer::outcome, Collectors.counting()));
    }

    JdbcClient jdbc() {
        return nodeA.getBean(JdbcClient.class);
    }

    long events(String aggregateId) {
        return jdbc().sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = :id")
                .param("id", aggregateId).query(Long.class).single();
    }

    @Test
    void identicalDeliveriesAtTwoNodesAreAppliedOnceAndEveryAttemptIsCounted() throws Exception {
        byte[] body = Webhooks.read("bank-slip/paid_qr_code.json");
        List<IntakeAnswer> answers = fireAtOnce(i -> body);
        assertThat(outcomes(answers)).isEqualTo(Map.of(Outcome.applied, 1L, Outcome.duplicate, 2L * PER_NODE - 1));
        assertThat(answers.stream().map(IntakeAnswer::receipt).distinct()).hasSize(1);
        assertThat(events("BankSlip:505fd25f-89cf-40ca-927c-3800f207146a")).isEqualTo(1);
        int attempts = jdbc().sql("SELECT attempts FROM receipt WHERE receipt_id = :id")
                .param("id", answers.get(0).receipt()).query(Integer.class).single();
        assertThat(attempts).isEqualTo(2 * PER_NODE);
    }

    @Test
    void differentBodiesOfTheSameFactAddOneEventBetweenThem() throws Exception {
        String body = new String(Webhooks.read("bank-slip/written_off.json"), StandardCharsets.UTF_8);
        // the same webhook re-serialised differently each time: other bytes, same fact
        List<IntakeAnswer> answers = fireAtOnce(i -> (body + " ".repeat(i)).getBytes(StandardCharsets.UTF_8));
        assertThat(outcomes(answers)).isEqualTo(Map.of(Outcome.applied, 1L, Outcome.duplicate, 2L * PER_NODE - 1));
        assertThat(answers.stream().map(IntakeAnswer::receipt).distinct()).hasSize(2 * PER_NODE);
        assertThat(events("BankSlip:93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf")).isEqualTo(1);
    }

    @Test
    void differentFactsForOneEntityAllLandInOneGaplessStream() throws Exception {
        String key = "e0000000-0000-4000-8000-00000000000a";
        List<IntakeAnswer> answers = fireAtOnce(i -> ("""
                {"webhook_type":"baas.automatic_pix.payment_order_conciliation_batch.creation",
                 "webhook_datetime":"2025-06-10T20:30:%02d.000Z",
                 "data":{"payment_order_conciliation_batches":[
                  {"payment_order_conciliation_batch_key":"%s","payment_order_conciliation_batch_status":"open",
                   "payment_order_conciliation_batch_type":"fixed_amount","account_key":"a","total_amount":100,
                   "conciliated_amount":%d,"total_payment_orders":20,"conciliated_payment_orders":%d,
                   "reference_date":"2025-06-13","created_at":"2025-06-10T20:30:00.000Z"}]}}
                """).formatted(i, key, i, i).getBytes(StandardCharsets.UTF_8));
        assertThat(outcomes(answers)).isEqualTo(Map.of(Outcome.applied, 2L * PER_NODE));
        List<Long> sequences = jdbc().sql("SELECT sequencenumber FROM domainevententry WHERE aggregateidentifier = :id "
                        + "ORDER BY sequencenumber").param("id", "ConciliationBatch:" + key).query(Long.class).list();
        assertThat(sequences).hasSize(2 * PER_NODE);
        assertThat(sequences.get(sequences.size() - 1)).isEqualTo(2L * PER_NODE - 1);
    }

    /**
     * Transactions commit in another order than the one their global indexes were taken in, so
     * events reach the projections late, behind gap-aware tokens; every one must still land, at
     * its own position (the projections once took the token's position and skipped such events).
     */
    @Test
    void everyConcurrentlyCommittedEventReachesTheReadModelsAtItsOwnPosition() throws Exception {
        String template = new String(Webhooks.read("bank-slip/registered.json"), StandardCharsets.UTF_8);
        String key = "11b13b2c-4204-41b3-8596-2ee7ecbde38c";
        for (int round = 0; round < 5; round++) {
            int r = round;
            List<IntakeAnswer> answers = fireAtOnce(i -> template.replace(key,
                    "f%07d-0000-4000-8000-%012d".formatted(r, i)).getBytes(StandardCharsets.UTF_8));
            assertThat(outcomes(answers)).isEqualTo(Map.of(Outcome.applied, 2L * PER_NODE));
        }
        JdbcClient jdbc = jdbc();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc.sql("SELECT count(*) FROM bank_slip_view WHERE bank_slip_key LIKE 'f000000%'").query(Long.class)
                        .single() == 5L * 2 * PER_NODE);
        // each slip's one event folded once, at its own position, whichever node appended it
        long misplaced = jdbc.sql("""
                        SELECT count(*) FROM bank_slip_view v
                        LEFT JOIN domainevententry d ON d.aggregateidentifier = 'BankSlip:' || v.bank_slip_key
                        WHERE v.bank_slip_key LIKE 'f000000%'
                          AND (d.globalindex IS DISTINCT FROM v.position OR v.facts_recorded <> 1)
                        """).query(Long.class).single();
        assertThat(misplaced).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier LIKE 'BankSlip:f000000%'")
                .query(Long.class).single()).isEqualTo(5L * 2 * PER_NODE);
    }
}
