package com.qiledger.api.intake;

import com.qiledger.api.intake.IntakeAnswer.Outcome;
import com.qiledger.api.platform.BatchedReceipts;
import com.qiledger.api.platform.BatchedStreams;
import com.qiledger.api.platform.LedgerProperties;
import com.qiledger.api.qitech.ProviderLimits;
import com.qiledger.api.qitech.QiTechTranslator;
import com.qiledger.api.qitech.Translation;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.command.messages.common.RecordingResult;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one authentic delivery: in one database transaction it claims the body's receipt (a
 * duplicate stops there), sends the delivery's commands and stores the outcome, so the receipt and
 * the events it caused commit together or not at all. Its translation runs on a delivery worker
 * ({@link WebhookController}), never on an event loop; the provider's answer waits for the commit, but
 * no thread waits with it ({@link #submit}): a committer hands the batch's answers to a thread of their
 * own ({@code ledger-answers}), which completes them, logs each and hands it to the web server.
 */
@Service
public class IntakeService {

    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    private final QiTechTranslator translator;
    private final CommandGateway commands;
    /** Each statement of a delivery, and each wait for a lock, ends well inside the 8 s answer deadline. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(4);
    /** Counting a failure, or recording a refused delivery, after the attempt itself: short, on its own. */
    static final Duration FAILURE_BOOKKEEPING = Duration.ofSeconds(2);

    private final Receipts receipts;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int maxConflictRetries;
    private final IntakeMetrics metrics;
    private final Duration deadline;
    private final int maxFailures;
    /** Group commit (issue 20): deliveries waiting for a committer, and the committers. */
    private final int groupCommit;
    private final List<BlockingQueue<Pending>> waiting = new ArrayList<>();
    private final List<Thread> committers = new ArrayList<>();
    /**
     * Where a committed batch's answers go on: their log line, their meters and the web server's write
     * run here, not on the committer, which goes straight on to the next batch. A committer hands a
     * batch's answers over as one task (issue 20: one task per delivery woke these threads up to a batch's
     * size of times). Its queue is unbounded: what it can hold is bounded by {@link #inFlight}.
     */
    private final java.util.concurrent.ExecutorService answers;
    /**
     * Deliveries handed to a committer and not yet answered: at most {@code ledger.blocking.threads +
     * ledger.blocking.queue}, the bound there was when each one held a worker (or a place in its queue)
     * until its commit, so a saturated service still answers 503 at once rather than queueing
     * deliveries it could not commit before their deadline.
     */
    private final java.util.concurrent.Semaphore inFlight;
    private volatile boolean running = true;

    public IntakeService(QiTechTranslator translator, CommandGateway commands, Receipts receipts,
                         TransactionTemplate transactions, Clock clock, LedgerProperties properties,
                         IntakeMetrics metrics) {
        this.translator = translator;
        this.commands = commands;
        this.receipts = receipts;
        this.transactions = transactions;
        this.clock = clock;
        this.maxConflictRetries = properties.webhook().maxConflictRetries();
        this.deadline = properties.webhook().deadline();
        this.maxFailures = properties.webhook().maxFailures();
        this.metrics = metrics;
        this.groupCommit = Math.max(1, properties.webhook().groupCommit());
        if (groupCommit > 1) {
            int count = Math.max(1, properties.webhook().committers());
            for (int i = 0; i < count; i++) {
                // room for every delivery in flight: the bound is the semaphore's (inFlight), not a queue's
                BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(inFlightBound(properties));
                waiting.add(queue);
                Thread committer = new Thread(() -> commitLoop(queue), "ledger-committer-" + i);
                committer.setDaemon(true);
                committers.add(committer);
                committer.start();
            }
        }
        this.inFlight = new java.util.concurrent.Semaphore(inFlightBound(properties));
        this.answers = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "ledger-answers");
                    t.setDaemon(true);
                    return t;
                });
    }

    public IntakeAnswer receive(byte[] body, String contentType) {
        return receive(body, contentType, null);
    }

    /** {@link #submit}, waiting for the answer on the calling thread. */
    public IntakeAnswer receive(byte[] body, String contentType, StoredSignature signature) {
        try {
            return submit(body, contentType, signature).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw unwrapped(e);
        }
    }

    /**
     * A delivery with the provider's signature kept (issue 21), stored with its receipt. Translated on
     * the calling thread, then handed to a committer; the answer completes after the commit, without a
     * thread blocked on it (with one blocked per delivery, the blocking pool's 16 threads capped how
     * many deliveries a batch could gather: issue 20). The answer fails at once with a
     * {@link RejectedExecutionException} when as many deliveries as the service takes are in flight
     * already, and with a {@link StoreUnavailableException} when the store failed or the batch did not
     * commit in time.
     */
    public CompletableFuture<IntakeAnswer> submit(byte[] body, String contentType, StoredSignature signature) {
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(started, this.deadline);
        Delivery delivery = Delivery.of(body, contentType, clock.instant(), signature);
        Translation translation = translator.translate(body, delivery.receivedAt());
        CompletableFuture<IntakeAnswer> answer;
        try {
            answer = groupCommit > 1 ? inBatch(delivery, translation, deadline)
                    : CompletableFuture.completedFuture(apply(delivery, translation, deadline));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        java.util.function.BiFunction<IntakeAnswer, Throwable, IntakeAnswer> logged = (done, failure) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            String outcome = done == null ? "store_unavailable" : done.outcome().name();
            // the type as sent only when a family reads it: a hostile type never reaches the log
            String type = "other".equals(translator.familyOf(translation.webhookType())) ? "other"
                    : translation.webhookType();
            log.info("delivery receipt={} type={} outcome={} latency_ms={}",
                    done == null ? "-" : done.receipt(), type, outcome, latency.toMillis());
            metrics.delivery(translation.webhookType(), outcome, latency);
            if (failure != null) {
                throw unwrapped(failure);
            }
            return done;
        };
        // completed on an answers thread (a committer hands each batch's answers over at once) or, at a
        // deadline, on the timer's: the log line and the write run there, never on a committer
        return answer.handle(logged);
    }

    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new StoreUnavailableException("the delivery's batch did not commit in time", cause);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new StoreUnavailableException("the delivery's batch failed", cause);
    }

    /** One delivery waiting for a committer, and where its answer goes. */
    private record Pending(Delivery delivery, Translation translation, Deadline deadline,
                           CompletableFuture<IntakeAnswer> answer) {
    }

    /**
     * Hands the delivery to a committer: written with whatever other deliveries waited meanwhile, in
     * one transaction (one commit, one fsync, for all), answered only after that commit, exactly as a
     * delivery written alone. The answer fails with a {@link java.util.concurrent.TimeoutException}
     * when it has not come a second after the deadline (the committer stops the work at the deadline;
     * the extra second is its bookkeeping).
     */
    private CompletableFuture<IntakeAnswer> inBatch(Delivery delivery, Translation translation, Deadline deadline) {
        Pending pending = new Pending(delivery, translation, deadline, new CompletableFuture<>());
        if (!running || !inFlight.tryAcquire()) {
            throw saturated();
        }
        if (!committerOf(delivery, translation).offer(pending)) {
            inFlight.release();
            throw saturated();
        }
        pending.answer().whenComplete((answer, failure) -> inFlight.release());
        return pending.answer().orTimeout(deadline.remaining().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }

    /** How many deliveries may be in flight at once: {@code ledger.blocking.threads + ledger.blocking.queue}. */
    private static int inFlightBound(LedgerProperties properties) {
        return Math.max(1, properties.blocking().threads() + properties.blocking().queue());
    }

    private static RejectedExecutionException saturated() {
        return new RejectedExecutionException("every committer is busy and the intake queue is full");
    }

    /**
     * The committer of a delivery, by the entity it is about (its first command's): deliveries for one
     * entity, and identical bodies, always meet in one committer's batches, one after the other, and
     * never wait for each other's locks across two open transactions of this node.
     */
    private BlockingQueue<Pending> committerOf(Delivery delivery, Translation translation) {
        int hash = translation instanceof Translation.Commands c && !c.commands().isEmpty()
                ? c.commands().get(0).aggregateId().hashCode() : java.util.Arrays.hashCode(delivery.sha256());
        return waiting.get(Math.floorMod(hash, waiting.size()));
    }

    /** A committer: takes what waits (at most {@code groupCommit} deliveries) and writes it in one transaction. */
    private void commitLoop(BlockingQueue<Pending> waiting) {
        List<Pending> batch = new ArrayList<>(groupCommit);
        while (running || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, groupCommit - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.error("committer failed on a batch of {}", batch.size(), e);
                batch.forEach(p -> p.answer().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Writes a batch in one transaction: each delivery as it would be written alone (its receipt, its
     * commands, its outcome), then one commit. When anything in it fails (a refusal by the domain, a
     * lost race, a timeout, the store), the whole transaction rolls back and each delivery is written
     * again alone, through the path that tells those cases apart: one bad delivery costs its
     * neighbours a second try, never their answer.
     */
    private void commit(List<Pending> batch) {
        metrics.batch(batch.size());
        if (batch.size() == 1) {
            alone(batch.get(0));
            return;
        }
        Deadline earliest = batch.get(0).deadline();
        for (Pending p : batch) {
            if (p.deadline().endsAtNanos() - earliest.endsAtNanos() < 0) {
                earliest = p.deadline();
            }
        }
        List<IntakeAnswer> outcomes;
        try {
            outcomes = bounded(earliest, () -> inOneUnitOfWork(batch));
        } catch (RuntimeException e) {
            log.debug("a batch of {} deliveries rolled back ({}); each is written alone", batch.size(),
                    Failures.describe(e));
            metrics.batchRetried(batch.size());
            batch.forEach(this::alone);
            return;
        }
        // the batch list is the committer's own and is cleared for the next batch: the task keeps a copy
        List<Pending> answered = List.copyOf(batch);
        answers.execute(() -> {
            for (int i = 0; i < answered.size(); i++) {
                answered.get(i).answer().complete(outcomes.get(i));
            }
        });
    }

    /**
     * The batch's deliveries in one Axon root unit of work, inside the batch's transaction, each new
     * receipt written once, whole, after the events it caused (issue 20):
     * <ol>
     *   <li>one query tells which bodies are recorded already (resends) and how often each failed
     *       before without being recorded;</li>
     *   <li>each new delivery's commands run in a unit of work nested in the root, under a receipt id
     *       drawn now; their aggregates are loaded with one query for the whole batch
     *       ({@link BatchedStreams});</li>
     *   <li>the root commits: the events of every delivery in one multi-row insert that returns their
     *       positions, and their chain links ({@link BatchedReceipts} carries the bodies' hashes to the
     *       store and each receipt's newest position back);</li>
     *   <li>the new receipts in one insert, each with its outcome and position. Should another
     *       transaction have recorded one of these bodies meanwhile (another node), the insert skips it
     *       and the batch fails whole: it rolls back and each delivery is written again alone, where
     *       that body is a duplicate.</li>
     * </ol>
     * A resend, and a body sent twice within the batch, is counted on its receipt as ever. The
     * transaction commits after all that; any failure rolls back the root unit of work and the
     * transaction with it.
     */
    private List<IntakeAnswer> inOneUnitOfWork(List<Pending> batch) {
        clearLeftoverUnitsOfWork();
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(GenericMessage.asMessage("intake batch"));
        int n = batch.size();
        IntakeAnswer[] answers = new IntakeAnswer[n];
        List<Receipts.Row> rows = new ArrayList<>(n);
        List<Integer> rowOf = new ArrayList<>(n);
        List<Integer> resends = new ArrayList<>();
        BatchedReceipts written;
        try {
            List<String> aggregates = new ArrayList<>();
            for (Pending p : batch) {
                if (p.translation() instanceof Translation.Commands c) {
                    c.commands().forEach(command -> aggregates.add(command.aggregateId()));
                }
            }
            BatchedStreams.declare(aggregates);
            written = BatchedReceipts.declare();
            Map<ByteBuffer, Receipts.Known> known = receipts.known(batch.stream()
                    .map(p -> p.delivery().sha256()).toList());
            java.util.Set<ByteBuffer> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                Pending p = batch.get(i);
                ByteBuffer sha = ByteBuffer.wrap(p.delivery().sha256());
                Receipts.Known before = known.get(sha);
                if ((before != null && before.recorded()) || !seen.add(sha)) {
                    resends.add(i);
                    continue;
                }
                UUID receipt = UUID.randomUUID();
                written.receipt(receipt.toString(), p.delivery().sha256());
                IntakeAnswer answer = firstOf(receipt, p, before == null ? 0 : before.failures(),
                        before == null ? null : before.lastFailure());
                answers[i] = answer;
                rows.add(new Receipts.Row(receipt, p.delivery(), newReceipt(p.delivery(), p.translation())
                        .webhookType(), answer.outcome().name(), answer.reason(), null));
                rowOf.add(i);
            }
            unit.commit();
        } catch (RuntimeException | Error e) {
            if (unit.isActive()) {
                unit.rollback(e);
            }
            throw e;
        }
        for (int r = 0; r < rows.size(); r++) {
            Receipts.Row row = rows.get(r);
            if (Outcome.applied.name().equals(row.outcome())) {
                Long position = written.position(row.receipt().toString());
                if (position == null) {
                    // never answer "applied" for a delivery whose events this transaction did not write
                    throw new IllegalStateException("no event of receipt " + row.receipt() + " in the batch's append");
                }
                rows.set(r, new Receipts.Row(row.receipt(), row.delivery(), row.webhookType(), row.outcome(), null,
                        position));
                answers[rowOf.get(r)] = new IntakeAnswer(row.receipt(), Outcome.applied, position, null);
            }
        }
        if (!rows.isEmpty() && receipts.writeAll(rows) != rows.size()) {
            throw new IllegalStateException("another transaction recorded one of the batch's bodies meanwhile");
        }
        for (int i : resends) {
            answers[i] = duplicateOf(batch.get(i).delivery());
        }
        return java.util.Arrays.asList(answers);
    }

    /**
     * A body's first delivery within a batch, before its receipt row is written: quarantined by its
     * translation or by its failed attempts, else its commands run under the receipt; applied (its
     * position follows the append) or, when every fact was already recorded, a duplicate.
     */
    private IntakeAnswer firstOf(UUID receipt, Pending p, int earlierFailures, String lastFailure) {
        if (p.translation() instanceof Translation.Quarantine q) {
            return new IntakeAnswer(receipt, Outcome.quarantined, null, q.reason());
        }
        if (earlierFailures >= maxFailures) {
            return new IntakeAnswer(receipt, Outcome.quarantined, null,
                    ProviderLimits.cut(gaveUp(earlierFailures, lastFailure), ProviderLimits.REASON_CHARS));
        }
        return runCommands(receipt, (Translation.Commands) p.translation(), p.deadline()).isEmpty()
                ? new IntakeAnswer(receipt, Outcome.duplicate, null, ALL_RECORDED)
                : new IntakeAnswer(receipt, Outcome.applied, null, null);
    }

    /**
     * A committer thread is long-lived and Axon binds units of work to the thread: one left behind
     * (a rollback that itself failed half-way, say) would make the next batch's unit of work a nested
     * one, whose events wait for a parent that never commits. Cleared, loudly, before every batch.
     */
    private static void clearLeftoverUnitsOfWork() {
        while (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> leftover = CurrentUnitOfWork.get();
            log.error("a unit of work ({}) was left on committer thread {}; cleared", leftover.phase(),
                    Thread.currentThread().getName());
            CurrentUnitOfWork.clear(leftover);
        }
    }

    private void alone(Pending p) {
        if (p.deadline().passed()) {
            // its batch used its time (a neighbour's lock wait, say): not its own failure, not counted
            p.answer().completeExceptionally(new StoreUnavailableException("the delivery's batch ran out of time",
                    null));
            return;
        }
        IntakeAnswer answer;
        try {
            answer = apply(p.delivery(), p.translation(), p.deadline());
        } catch (RuntimeException e) {
            answers.execute(() -> p.answer().completeExceptionally(e));
            return;
        }
        answers.execute(() -> p.answer().complete(answer));
    }

    /** SIGTERM drains: the web server has finished its requests; what still waits is written, then the committers stop. */
    @jakarta.annotation.PreDestroy
    void stopCommitters() throws InterruptedException {
        running = false;
        for (Thread committer : committers) {
            committer.join(10_000);
        }
        answers.shutdown();
        answers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private IntakeAnswer apply(Delivery delivery, Translation translation, Deadline deadline) {
        for (int attempt = 0; ; attempt++) {
            try {
                return bounded(deadline, () -> applyOnce(delivery, translation, deadline));
            } catch (RuntimeException e) {
                if (Failures.isConcurrentAppend(e) && attempt < maxConflictRetries && !deadline.passed()) {
                    pause(attempt);
                    continue;
                }
                if (Failures.isTimeout(e) || deadline.passed()) {
                    // out of time, whatever the last statement said (a lock wait bounded by the deadline)
                    return failed(delivery, translation.webhookType(), Failures.describe(e), e);
                }
                if (Failures.isDataRefusal(e)) {
                    // the store refuses this body's data every time: quarantine it now (issue 26)
                    return record(delivery, translation.webhookType(),
                            "refused by the store: " + Failures.describe(e));
                }
                if (Failures.isConcurrentAppend(e) || Failures.isStoreFailure(e)) {
                    throw new StoreUnavailableException("the store could not commit the delivery", e);
                }
                // The domain refused a command: keep the delivery, with the refusal as its reason.
                String reason = "refused by the domain: " + Failures.describe(e);
                return record(delivery, translation.webhookType(), reason);
            }
        }
    }

    /**
     * An attempt that ran out of time rolled back: it is counted against its body, and answered 503
     * so that the provider resends; the attempt that reaches {@code ledger.webhook.max-failures}
     * is quarantined with the failure as its reason instead (issue 26).
     */
    private IntakeAnswer failed(Delivery delivery, String webhookType, String failure, RuntimeException cause) {
        int failures;
        try {
            failures = transactions.execute(tx -> {
                receipts.boundTransaction(FAILURE_BOOKKEEPING, FAILURE_BOOKKEEPING);
                return receipts.recordFailure(delivery, failure, clock.instant());
            });
        } catch (RuntimeException bookkeeping) {
            cause.addSuppressed(bookkeeping);
            throw new StoreUnavailableException("the delivery timed out and its failure could not be counted", cause);
        }
        if (failures >= maxFailures) {
            return record(delivery, webhookType, gaveUp(failures, failure));
        }
        throw new StoreUnavailableException("the delivery timed out (attempt " + failures + " of " + maxFailures
                + " before it is quarantined)", cause);
    }

    private static String gaveUp(int failures, String lastFailure) {
        return "gave up after " + failures + " failed attempts; the last: " + lastFailure;
    }

    /** One delivery in the current transaction: its receipt claimed first, then its commands. */
    private IntakeAnswer applyOnce(Delivery delivery, Translation translation, Deadline deadline) {
        Receipts.NewReceipt row = newReceipt(delivery, translation);
        return applyClaimed(delivery, translation, deadline,
                claimed(delivery, row.webhookType(), row.outcome(), row.reason()));
    }

    /** The receipt a delivery is claimed with: applied (until its commands say otherwise) or quarantined. */
    private static Receipts.NewReceipt newReceipt(Delivery delivery, Translation translation) {
        return translation instanceof Translation.Quarantine q
                ? new Receipts.NewReceipt(delivery, q.webhookType(), Outcome.quarantined.name(), q.reason())
                : new Receipts.NewReceipt(delivery, translation.webhookType(), Outcome.applied.name(), null);
    }

    /** The rest of {@link #applyOnce} once the delivery's receipt is claimed (or found taken: a duplicate). */
    private IntakeAnswer applyClaimed(Delivery delivery, Translation translation, Deadline deadline,
                                      Optional<Receipts.Claim> claim) {
        if (translation instanceof Translation.Quarantine q) {
            return claim.map(c -> new IntakeAnswer(c.receipt(), Outcome.quarantined, null, q.reason()))
                    .orElseGet(() -> duplicateOf(delivery));
        }
        Translation.Commands batch = (Translation.Commands) translation;
        if (claim.isEmpty()) {
            return duplicateOf(delivery);
        }
        if (claim.get().earlierFailures() >= maxFailures) {
            // earlier attempts of this body kept timing out: record it, do not try it again
            String reason = gaveUp(claim.get().earlierFailures(), claim.get().lastFailure());
            receipts.complete(claim.get().receipt(), Outcome.quarantined.name(), reason, null);
            return new IntakeAnswer(claim.get().receipt(), Outcome.quarantined, null, reason);
        }
        return applyCommands(claim.get().receipt(), batch, deadline);
    }

    /** Sends the delivery's commands under its claimed receipt and stores the outcome on the receipt. */
    private IntakeAnswer applyCommands(UUID receipt, Translation.Commands batch, Deadline deadline) {
        List<String> changed = runCommands(receipt, batch, deadline);
        if (changed.isEmpty()) {
            receipts.complete(receipt, Outcome.duplicate.name(), ALL_RECORDED, null);
            return new IntakeAnswer(receipt, Outcome.duplicate, null, ALL_RECORDED);
        }
        Long position = receipts.completeApplied(receipt, changed);
        return new IntakeAnswer(receipt, Outcome.applied, position, null);
    }

    private static final String ALL_RECORDED = "every fact in this delivery was already recorded";

    /** Sends the delivery's commands under its receipt; returns the aggregates they changed. */
    private List<String> runCommands(UUID receipt, Translation.Commands batch, Deadline deadline) {
        List<String> changed = new ArrayList<>();
        for (LedgerCommand command : batch.commands()) {
            deadline.check("before command " + (changed.size() + 1) + " of " + batch.commands().size());
            Object result = commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(Map.of(LedgerMetaData.RECEIPT_ID, receipt.toString())));
            if (result != RecordingResult.ALREADY_RECORDED) {
                changed.add(command.aggregateId());
            }
        }
        deadline.check("before the outcome is recorded");
        return changed;
    }

    /**
     * Applies a quarantined delivery again through the current code (after a fix), under its own
     * receipt, and records the re-drive (who, when, result). Empty when the receipt is unknown;
     * {@link NotQuarantinedException} when it is not quarantined (applied deliveries are never
     * applied twice). A delivery still refused stays quarantined with its new reason.
     */
    public Optional<IntakeAnswer> redrive(UUID receipt, String requestedBy) {
        Optional<Receipts.ReceiptRecord> found = receipts.find(receipt);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Instant at = clock.instant();
        Translation translation = translator.translate(found.get().body(), at);
        for (int attempt = 0; ; attempt++) {
            try {
                Deadline deadline = Deadline.after(System.nanoTime(), this.deadline);
                return Optional.of(bounded(deadline, () -> redriveOnce(receipt, translation, requestedBy, at,
                        deadline)));
            } catch (NotQuarantinedException e) {
                throw e;
            } catch (RuntimeException e) {
                if (Failures.isConcurrentAppend(e) && attempt < maxConflictRetries) {
                    pause(attempt);
                    continue;
                }
                if (Failures.isConcurrentAppend(e) || Failures.isStoreFailure(e)) {
                    throw new StoreUnavailableException("the store could not commit the re-drive", e);
                }
                String reason = "refused by the domain: " + Failures.describe(e);
                try {
                    return Optional.of(bounded(Deadline.after(System.nanoTime(), this.deadline),
                            () -> stillQuarantined(receipt, reason, requestedBy, at)));
                } catch (NotQuarantinedException again) {
                    throw again;
                } catch (RuntimeException storeFailure) {
                    throw new StoreUnavailableException("the store could not record the re-drive", storeFailure);
                }
            }
        }
    }

    private IntakeAnswer redriveOnce(UUID receipt, Translation translation, String requestedBy, Instant at,
                                     Deadline deadline) {
        if (translation instanceof Translation.Quarantine q) {
            return stillQuarantined(receipt, q.reason(), requestedBy, at);
        }
        lockQuarantined(receipt);
        IntakeAnswer answer = applyCommands(receipt, (Translation.Commands) translation, deadline);
        receipts.recordRedrive(receipt, requestedBy, at, answer.outcome().name(), answer.reason(), answer.position());
        log.info("redrive receipt={} type={} outcome={}", receipt, translation.webhookType(), answer.outcome());
        return answer;
    }

    private IntakeAnswer stillQuarantined(UUID receipt, String reason, String requestedBy, Instant at) {
        lockQuarantined(receipt);
        receipts.complete(receipt, Outcome.quarantined.name(), reason, null);
        receipts.recordRedrive(receipt, requestedBy, at, Outcome.quarantined.name(), reason, null);
        log.info("redrive receipt={} outcome=quarantined", receipt);
        return new IntakeAnswer(receipt, Outcome.quarantined, null, reason);
    }

    private void lockQuarantined(UUID receipt) {
        String outcome = receipts.lockOutcome(receipt)
                .orElseThrow(() -> new IllegalStateException("receipt " + receipt + " vanished"));
        if (!Outcome.quarantined.name().equals(outcome)) {
            throw new NotQuarantinedException(receipt, outcome);
        }
    }

    /** Only quarantined deliveries are re-driven; an applied one would otherwise count twice. */
    public static final class NotQuarantinedException extends RuntimeException {
        public NotQuarantinedException(UUID receipt, String outcome) {
            super("receipt " + receipt + " is " + outcome + ", not quarantined: only quarantined deliveries are "
                    + "re-driven");
        }
    }

    /**
     * One database transaction whose statements and lock waits are bounded (see
     * {@link Receipts#boundTransaction}), each by what is left of the delivery's deadline at most.
     */
    private <T> T bounded(Deadline deadline, java.util.function.Supplier<T> work) {
        return transactions.execute(tx -> {
            deadline.check("before the transaction began");
            Duration left = deadline.remaining();
            receipts.boundTransaction(min(STATEMENT_TIMEOUT, left), min(LOCK_TIMEOUT, left));
            return work.get();
        });
    }

    private static Duration min(Duration a, Duration b) {
        Duration least = a.compareTo(b) <= 0 ? a : b;
        return least.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : least;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Failures.backoffMillis(attempt, java.util.concurrent.ThreadLocalRandom.current()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a concurrent append", e);
        }
    }

    /**
     * A delivery whose commands the domain (or the store, for its data) refused is stored in a fresh
     * transaction, quarantined. Its own bounded transaction: recording a refusal must not be cut
     * short by the time the refused attempt used.
     */
    private IntakeAnswer record(Delivery delivery, String webhookType, String reason) {
        String kept = ProviderLimits.cut(reason, ProviderLimits.REASON_CHARS);
        String type = ProviderLimits.cut(webhookType,
                ProviderLimits.WEBHOOK_TYPE_CHARS);
        try {
            return bounded(Deadline.after(System.nanoTime(), FAILURE_BOOKKEEPING),
                    () -> claimed(delivery, type, Outcome.quarantined.name(), kept)
                    .map(claim -> new IntakeAnswer(claim.receipt(), Outcome.quarantined, null, kept))
                    .orElseGet(() -> duplicateOf(delivery)));
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("the store could not record the quarantined delivery", e);
        }
    }

    private Optional<Receipts.Claim> claimed(Delivery delivery, String webhookType, String outcome, String reason) {
        return receipts.claim(delivery, webhookType, outcome, reason);
    }

    private IntakeAnswer duplicateOf(Delivery delivery) {
        Receipts.ReceiptSummary original = receipts.countResend(delivery)
                .orElseThrow(() -> new IllegalStateException("receipt vanished between claim and count"));
        return new IntakeAnswer(original.receipt(), Outcome.duplicate, original.position(), null);
    }
}
