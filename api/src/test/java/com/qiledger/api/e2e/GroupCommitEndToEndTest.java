package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.intake.IntakeAnswer;
import com.qiledger.api.intake.IntakeAnswer.Outcome;
import com.qiledger.api.intake.IntakeService;
import com.qiledger.api.intake.StoreUnavailableException;
import com.qiledger.api.store.CreatingRepository;
import com.qiledger.api.store.LedgerEventStorageEngine;
import com.qiledger.command.bankslip.BankSlip;
import com.qiledger.command.conciliation.ConciliationBatch;
import com.qiledger.command.dda.DdaBankSlip;
import com.qiledger.command.debt.Debt;
import com.qiledger.command.installment.Installment;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 20, group commit: deliveries that wait together are written in one transaction, and one bad
 * delivery in a batch costs its neighbours nothing but a second try. Here the store refuses one
 * entity's events (a CHECK constraint standing in for any failure of one delivery's writes) while
 * thirty others, and one the translator quarantines, are written in the same moments: the others are
 * applied, each with its own receipt and position, the quarantined one is kept, the refused one alone
 * is answered as unavailable (503) and leaves nothing behind; batches of more than one did happen.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class GroupCommitEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-group-commit");
    static final int HEALTHY = 30;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        // one committer: every delivery held back behind the first meets the others in one batch
        registry.add("ledger.webhook.committers", () -> "1");
    }

    @Autowired
    IntakeService intake;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Autowired
    org.axonframework.config.Configuration axon;

    static String key(int i) {
        return String.format("c0ffee00-0000-4000-8000-%012d", 7000 + i);
    }

    @Test
    void oneRefusedDeliveryDoesNotFailItsBatchNeighbours() throws Exception {
        jdbc.sql("ALTER TABLE domainevententry ADD CONSTRAINT test_refuses_group_poison "
                + "CHECK (aggregateidentifier NOT LIKE '%group-poison%')").update();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < HEALTHY; i++) {
            bodies.add(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", key(i)));
        }
        bodies.add(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", "group-poison-0001"));
        bodies.add("{\"webhook_type\": \"no.such.type\", \"key\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        long receiptsBefore = count("SELECT count(*) FROM receipt");

        List<Future<IntakeAnswer>> answers = heldBackTogether(bodies);
        List<IntakeAnswer> healthy = new ArrayList<>();
        for (int i = 0; i < HEALTHY; i++) {
            healthy.add(answers.get(i).get());
        }
        assertThat(healthy).extracting(IntakeAnswer::outcome).containsOnly(Outcome.applied);
        assertThat(healthy).extracting(IntakeAnswer::receipt).doesNotHaveDuplicates();
        assertThat(healthy).extracting(IntakeAnswer::position).doesNotContainNull().doesNotHaveDuplicates();
        for (int i = 0; i < HEALTHY; i++) {
            assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:"
                    + key(i) + "'")).isEqualTo(1);
        }
        try {
            answers.get(HEALTHY).get();
            throw new AssertionError("the refused delivery was answered");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(answers.get(HEALTHY + 1).get().outcome()).isEqualTo(Outcome.quarantined);
        assertThat(count("SELECT count(*) FROM receipt")).isEqualTo(receiptsBefore + HEALTHY + 1);
        assertThat(meters.find("ledger.webhook.batch.deliveries").summary().max()).isGreaterThan(1);
        assertThat(retried()).isPositive();
        jdbc.sql("ALTER TABLE domainevententry DROP CONSTRAINT test_refuses_group_poison").update();
    }

    /** Every aggregate creates itself without an exception (issue 20; {@code CreatingRepositoryTest}). */
    @Test
    void everyAggregateIsKeptByTheCreatingRepository() {
        for (Class<?> type : List.of(BankSlip.class, DdaBankSlip.class, Installment.class, ConciliationBatch.class,
                Debt.class)) {
            assertThat(axon.repository(type)).as(type.getSimpleName()).isInstanceOf(CreatingRepository.class);
        }
    }

    /**
     * The events a batch writes reach the projections as the objects its aggregates applied, not parsed
     * again (issue 20, {@code WrittenEvents}), and the test profile checks each one against its stored
     * bytes as it is handed over (a difference fails the read, and the slips below would never show):
     * the read models show what the deliveries said.
     */
    @Test
    void eventsWrittenHereReachTheProjectionsAsWrittenCheckedAgainstTheirBytes(
            @Autowired org.axonframework.eventsourcing.eventstore.EventStorageEngine engine,
            @Autowired com.qiledger.api.platform.LedgerProperties properties) throws Exception {
        assertThat(properties.projections().handOver()).isTrue();
        assertThat(properties.projections().checkHandOver()).as("the test profile checks every handover").isTrue();
        LedgerEventStorageEngine store = (LedgerEventStorageEngine) engine;
        long before = store.handedOverEvents();
        double meteredBefore = meters.get("ledger.projections.events.read").tag("how", "handed_over")
                .functionCounter().count();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bodies.add(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", handOverKey(i)));
        }
        for (Future<IntakeAnswer> answer : heldBackTogether(bodies)) {
            assertThat(answer.get().outcome()).isEqualTo(Outcome.applied);
        }
        for (int i = 0; i < 5; i++) {
            String key = handOverKey(i);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    count("SELECT count(*) FROM bank_slip_view WHERE bank_slip_key = '" + key
                            + "' AND paid_amount IS NOT NULL") == 1);
        }
        assertThat(store.handedOverEvents() - before).isGreaterThanOrEqualTo(5);
        assertThat(meters.get("ledger.projections.events.read").tag("how", "handed_over").functionCounter().count()
                - meteredBefore).as("the operators' meter").isGreaterThanOrEqualTo(5);
        // read before the store's own count, which only grows: never above it
        double parsed = meters.get("ledger.projections.events.read").tag("how", "parsed").functionCounter().count();
        assertThat(store.parsedEvents()).isGreaterThanOrEqualTo((long) parsed);
    }

    static String handOverKey(int i) {
        return String.format("c0ffee00-0000-4000-8000-%012d", 9400 + i);
    }

    /**
     * A clean batch (issue 20: one root unit of work per batch, the batch's streams read in one
     * query, its events appended together): deliveries to new entities and two to one entity, held
     * back so that they meet in batches, are each applied once, each receipt's position is the
     * newest event of its entity, every event names its own receipt, and the second delivery to the
     * shared entity saw the first one's event (its event follows it in the stream).
     */
    @Test
    void aCleanBatchWritesEachDeliveryOnceAtItsOwnPosition() throws Exception {
        String shared = "c0ffee00-0000-4000-8000-000000008999";
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < HEALTHY; i++) {
            bodies.add(DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", cleanKey(i)));
        }
        bodies.add(DeadLetterEndToEndTest.slip("bank-slip/registered.json", shared));
        bodies.add(DeadLetterEndToEndTest.slip("bank-slip/written_off.json", shared));
        long batchesBefore = batches();
        double retriedBefore = retried();

        List<Future<IntakeAnswer>> answers = heldBackTogether(bodies);
        List<IntakeAnswer> all = new ArrayList<>();
        for (Future<IntakeAnswer> answer : answers) {
            all.add(answer.get());
        }
        assertThat(all).extracting(IntakeAnswer::outcome).containsOnly(Outcome.applied);
        assertThat(all).extracting(IntakeAnswer::position).doesNotContainNull().doesNotHaveDuplicates();
        for (int i = 0; i < bodies.size(); i++) {
            String key = i < HEALTHY ? cleanKey(i) : shared;
            IntakeAnswer answer = all.get(i);
            assertThat(jdbc.sql("SELECT position FROM receipt WHERE receipt_id = ?").param(answer.receipt())
                    .query(Long.class).single()).isEqualTo(answer.position());
            assertThat(count("SELECT count(*) FROM domainevententry WHERE globalindex = " + answer.position()
                    + " AND aggregateidentifier = 'BankSlip:" + key + "' AND convert_from(metadata, 'UTF8') LIKE '%"
                    + answer.receipt() + "%'")).isEqualTo(1);
            if (i < HEALTHY) {
                assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:"
                        + key + "'")).isEqualTo(1);
            }
        }
        assertThat(jdbc.sql("SELECT sequencenumber FROM domainevententry WHERE aggregateidentifier = 'BankSlip:"
                + shared + "' ORDER BY sequencenumber").query(Long.class).list()).containsExactly(0L, 1L);
        // fewer batches than deliveries: some were written together
        assertThat(batches() - batchesBefore)
                .isLessThan(bodies.size());
        // and no batch fell back to writing its deliveries one by one
        assertThat(retried()).isEqualTo(retriedBefore);
    }

    /**
     * A batch writes each new receipt once, after its events (issue 20), and still tells every kind
     * of delivery apart: a resend of a body recorded earlier and a body sent twice within the batch
     * are counted on their receipt and answered as its duplicate; another body carrying facts already
     * recorded in the batch is kept as a duplicate of its own; a body whose earlier attempts kept
     * failing is quarantined without being tried. All in one batch, none of it written alone.
     */
    @Test
    void aBatchTellsResendsRepeatsKnownFactsAndFailingBodiesApart() throws Exception {
        byte[] leader = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", mixKey(0));
        byte[] earlier = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", mixKey(1));
        IntakeAnswer original = intake.receive(earlier, "application/json");
        assertThat(original.outcome()).isEqualTo(Outcome.applied);
        byte[] twice = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", mixKey(2));
        byte[] sameFacts = (new String(twice, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        byte[] failing = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", mixKey(3));
        jdbc.sql("""
                INSERT INTO delivery_failure (body_sha256, failures, last_reason, first_failed_at, last_failed_at)
                VALUES (sha256(:body), 3, 'timed out', now(), now())""").param("body", failing).update();
        long receiptsBefore = count("SELECT count(*) FROM receipt");
        long batchesBefore = batches();
        double retriedBefore = retried();

        List<Future<IntakeAnswer>> answers = heldBackTogether(List.of(leader, earlier, twice, twice, sameFacts,
                failing));
        IntakeAnswer resend = answers.get(1).get();
        IntakeAnswer first = answers.get(2).get();
        IntakeAnswer repeat = answers.get(3).get();
        IntakeAnswer known = answers.get(4).get();
        IntakeAnswer gaveUp = answers.get(5).get();
        assertThat(answers.get(0).get().outcome()).isEqualTo(Outcome.applied);
        assertThat(resend).isEqualTo(new IntakeAnswer(original.receipt(), Outcome.duplicate, original.position(),
                null));
        assertThat(first.outcome()).isEqualTo(Outcome.applied);
        assertThat(first.position()).isNotNull();
        assertThat(repeat).isEqualTo(new IntakeAnswer(first.receipt(), Outcome.duplicate, first.position(), null));
        assertThat(known.outcome()).isEqualTo(Outcome.duplicate);
        assertThat(known.receipt()).isNotEqualTo(first.receipt());
        assertThat(known.reason()).isEqualTo("every fact in this delivery was already recorded");
        assertThat(gaveUp.outcome()).isEqualTo(Outcome.quarantined);
        assertThat(gaveUp.reason()).startsWith("gave up after 3 failed attempts; the last: timed out");
        // the new receipts are leader, twice, sameFacts and failing; each row as answered
        assertThat(count("SELECT count(*) FROM receipt")).isEqualTo(receiptsBefore + 4);
        for (IntakeAnswer answer : List.of(first, known, gaveUp)) {
            assertThat(jdbc.sql("SELECT outcome, reason, position FROM receipt WHERE receipt_id = ?")
                    .param(answer.receipt())
                    .query((rs, n) -> new IntakeAnswer(answer.receipt(), Outcome.valueOf(rs.getString(1)),
                            (Long) rs.getObject(3), rs.getString(2))).single()).isEqualTo(answer);
        }
        assertThat(count("SELECT attempts FROM receipt WHERE receipt_id = '" + original.receipt() + "'")).isEqualTo(2);
        assertThat(count("SELECT attempts FROM receipt WHERE receipt_id = '" + first.receipt() + "'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:" + mixKey(2)
                + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:" + mixKey(3)
                + "'")).isZero();
        // the leader alone, then the five in one batch, none written again alone
        assertThat(batches() - batchesBefore).isEqualTo(2);
        assertThat(retried()).isEqualTo(retriedBefore);
    }

    /**
     * Two nodes receive one body at once (issue 20): this node's batch finds no receipt for it, applies
     * it, and meets the other node's receipt only when it writes its own. Its batch then rolls back
     * whole and each delivery is written again alone: the contested body is answered as the other
     * node's duplicate and leaves no event of its own; its neighbour is applied.
     */
    @Test
    void aBodyAnotherNodeRecordsMeanwhileIsItsDuplicateAndTheBatchIsWrittenAgain() throws Exception {
        byte[] leader = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", raceKey(0));
        byte[] contested = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", raceKey(1));
        byte[] neighbour = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", raceKey(2));
        java.util.UUID otherNodes = java.util.UUID.randomUUID();
        double retriedBefore = retried();
        List<Thread> senders = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(3, task -> {
            Thread sender = new Thread(task, "race-sender-" + senders.size());
            senders.add(sender);
            return sender;
        });
        List<Future<IntakeAnswer>> answers = new ArrayList<>();
        try (Connection holdsLeader = dataSource.getConnection(); Connection otherNode = dataSource.getConnection()) {
            holdsLeader.setAutoCommit(false);
            otherNode.setAutoCommit(false);
            // the leader's first sequence, taken and not committed: it waits, the other two queue behind it
            try (var taken = holdsLeader.prepareStatement("""
                    INSERT INTO domainevententry (aggregateidentifier, sequencenumber, eventidentifier, payload,
                        payloadtype, timestamp) VALUES (?, 0, ?, '\\x00', 'x', 'x')""")) {
                taken.setString(1, "BankSlip:" + raceKey(0));
                taken.setString(2, java.util.UUID.randomUUID().toString());
                taken.executeUpdate();
            }
            // the other node's receipt for the contested body, not yet committed
            try (var receipt = otherNode.prepareStatement("""
                    INSERT INTO receipt (receipt_id, body_sha256, body, webhook_type, received_at, outcome,
                        last_attempt_at) VALUES (?, sha256(?), ?, 'bank_slip', now(), 'applied', now())""")) {
                receipt.setObject(1, otherNodes);
                receipt.setBytes(2, contested);
                receipt.setBytes(3, contested);
                receipt.executeUpdate();
            }
            for (byte[] body : List.of(leader, contested, neighbour)) {
                int index = answers.size();
                answers.add(pool.submit(() -> intake.receive(body, "application/json")));
                awaitAnswerWait(senders, index);
            }
            holdsLeader.rollback();
            // the batch of two has applied both and waits on the other node's receipt as it writes its own
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE '%INSERT INTO receipt%'") == 0) {
                assertThat(System.nanoTime()).as("the batch never reached its receipts").isLessThan(until);
                Thread.sleep(5);
            }
            otherNode.commit();
        } finally {
            pool.shutdown();
        }
        assertThat(answers.get(0).get().outcome()).isEqualTo(Outcome.applied);
        IntakeAnswer contestedAnswer = answers.get(1).get();
        assertThat(contestedAnswer.outcome()).isEqualTo(Outcome.duplicate);
        assertThat(contestedAnswer.receipt()).isEqualTo(otherNodes);
        assertThat(answers.get(2).get().outcome()).isEqualTo(Outcome.applied);
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:" + raceKey(1)
                + "'")).isZero();
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:" + raceKey(2)
                + "'")).isEqualTo(1);
        assertThat(retried()).isEqualTo(retriedBefore + 2);
    }

    /**
     * Over HTTP (issue 20): deliveries sent at once are checked and translated on the delivery workers,
     * as many as cores and no more (threads of a pool of its own: the test JVM keeps other contexts'
     * threads of the same names, so the ones that appeared are counted), and every delivery is answered
     * 200 and applied once, whichever batch carried its answer.
     */
    @Test
    void deliveriesOverHttpRunOnOneWorkerPerCore() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        int n = 24;
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<com.fasterxml.jackson.databind.JsonNode>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] body = DeadLetterEndToEndTest.slip("bank-slip/paid_qr_code.json", httpKey(i));
                sent.add(senders.submit(() -> post(body)));
            }
            for (int i = 0; i < n; i++) {
                assertThat(sent.get(i).get().get("outcome").asText()).isEqualTo("applied");
                assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'BankSlip:"
                        + httpKey(i) + "'")).isEqualTo(1);
            }
        } finally {
            senders.shutdownNow();
        }
        List<String> workers = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).filter(name -> name.startsWith("ledger-intake-")).toList();
        assertThat(workers).as("delivery workers started by these deliveries").hasSizeBetween(1, cores);
    }

    static String httpKey(int i) {
        return String.format("c0ffee00-0000-4000-8000-%012d", 9300 + i);
    }

    static String mixKey(int i) {
        return String.format("c0ffee00-0000-4000-8000-%012d", 9100 + i);
    }

    static String raceKey(int i) {
        return String.format("c0ffee00-0000-4000-8000-%012d", 9200 + i);
    }

    long batches() {
        var summary = meters.find("ledger.webhook.batch.deliveries").summary();
        return summary == null ? 0 : summary.count();
    }

    double retried() {
        var counter = meters.find("ledger.webhook.batch.retried").counter();
        return counter == null ? 0 : counter.count();
    }

    static String cleanKey(int i) {
        return String.format("c0ffee00-0000-4000-8000-%012d", 8000 + i);
    }

    /**
     * Sends every body while the receipts are held (a lock), so that the deliveries pile up behind the
     * first batches and meet in the next ones, then lets them go.
     */
    List<Future<IntakeAnswer>> heldBackTogether(List<byte[]> bodies) throws Exception {
        List<Thread> senders = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size(), task -> {
            Thread sender = new Thread(task, "held-back-sender-" + senders.size());
            senders.add(sender);
            return sender;
        });
        List<Future<IntakeAnswer>> answers = new ArrayList<>();
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("LOCK TABLE receipt IN SHARE MODE");
            }
            // one at a time and in the list's order, each handed to its committer before the next: a
            // committer's first delivery waits for the lock, the ones after it wait in its queue
            // (a fixed sleep let a loaded machine start the senders in any order, or after the release)
            for (byte[] body : bodies) {
                int index = answers.size();
                answers.add(pool.submit(() -> intake.receive(body, "application/json")));
                awaitAnswerWait(senders, index);
            }
            blocker.rollback();
        } finally {
            pool.shutdown();
        }
        return answers;
    }

    /** Waits until the sender thread {@code index} waits for its answer: its delivery is queued or being written. */
    static void awaitAnswerWait(List<Thread> senders, int index) throws InterruptedException {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (senders.size() > index) {
                Thread sender = senders.get(index);
                if ((sender.getState() == Thread.State.WAITING || sender.getState() == Thread.State.TIMED_WAITING)
                        && java.util.Arrays.stream(sender.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals(IntakeService.class.getName())
                                && frame.getMethodName().equals("receive"))
                        && java.util.Arrays.stream(sender.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().startsWith("java.util.concurrent.CompletableFuture"))) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("sender " + index + " never waited for its answer");
    }
}
