package com.qiledger.api.intake;

import com.qiledger.api.config.LedgerProperties;
import com.qiledger.api.intake.IntakeAnswer.Outcome;
import com.qiledger.api.qitech.QiTechTranslator;
import com.qiledger.api.qitech.Translation;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.common.RecordingResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one authentic delivery: in one database transaction it claims the body's receipt (a
 * duplicate stops there), sends the delivery's commands and stores the outcome, so the receipt and
 * the events it caused commit together or not at all. Runs on the blocking scheduler, never on an
 * event loop. Blocking by design: the provider's answer must wait for the commit.
 */
@Service
public class IntakeService {

    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    private final QiTechTranslator translator;
    private final CommandGateway commands;
    /** Each statement of a delivery, and each wait for a lock, ends well inside the 8 s answer deadline. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(4);

    private final Receipts receipts;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int maxConflictRetries;
    private final IntakeMetrics metrics;

    public IntakeService(QiTechTranslator translator, CommandGateway commands, Receipts receipts,
                         TransactionTemplate transactions, Clock clock, LedgerProperties properties,
                         IntakeMetrics metrics) {
        this.translator = translator;
        this.commands = commands;
        this.receipts = receipts;
        this.transactions = transactions;
        this.clock = clock;
        this.maxConflictRetries = properties.webhook().maxConflictRetries();
        this.metrics = metrics;
    }

    public IntakeAnswer receive(byte[] body, String contentType) {
        long started = System.nanoTime();
        Delivery delivery = Delivery.of(body, contentType, clock.instant());
        Translation translation = translator.translate(body, delivery.receivedAt());
        IntakeAnswer answer = null;
        try {
            answer = apply(delivery, translation);
            return answer;
        } finally {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            String outcome = answer == null ? "store_unavailable" : answer.outcome().name();
            log.info("delivery receipt={} type={} outcome={} latency_ms={}",
                    answer == null ? "-" : answer.receipt(), translation.webhookType(), outcome, latency.toMillis());
            metrics.delivery(translation.webhookType(), outcome, latency);
        }
    }

    private IntakeAnswer apply(Delivery delivery, Translation translation) {
        for (int attempt = 0; ; attempt++) {
            try {
                return bounded(() -> applyOnce(delivery, translation));
            } catch (RuntimeException e) {
                if (Failures.isConcurrentAppend(e) && attempt < maxConflictRetries) {
                    pause(attempt);
                    continue;
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

    private IntakeAnswer applyOnce(Delivery delivery, Translation translation) {
        if (translation instanceof Translation.Quarantine q) {
            return claimed(delivery, q.webhookType(), Outcome.quarantined.name(), q.reason())
                    .map(id -> new IntakeAnswer(id, Outcome.quarantined, null, q.reason()))
                    .orElseGet(() -> duplicateOf(delivery));
        }
        Translation.Commands batch = (Translation.Commands) translation;
        Optional<UUID> claim = claimed(delivery, batch.webhookType(), Outcome.applied.name(), null);
        if (claim.isEmpty()) {
            return duplicateOf(delivery);
        }
        return applyCommands(claim.get(), batch);
    }

    /** Sends the delivery's commands under its receipt and stores the outcome on the receipt. */
    private IntakeAnswer applyCommands(UUID receipt, Translation.Commands batch) {
        List<String> changed = new ArrayList<>();
        for (LedgerCommand command : batch.commands()) {
            Object result = commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(Map.of(Receipts.METADATA_KEY, receipt.toString())));
            if (result != RecordingResult.ALREADY_RECORDED) {
                changed.add(command.aggregateId());
            }
        }
        if (changed.isEmpty()) {
            String reason = "every fact in this delivery was already recorded";
            receipts.complete(receipt, Outcome.duplicate.name(), reason, null);
            return new IntakeAnswer(receipt, Outcome.duplicate, null, reason);
        }
        Long position = receipts.completeApplied(receipt, changed);
        return new IntakeAnswer(receipt, Outcome.applied, position, null);
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
                return Optional.of(bounded(() -> redriveOnce(receipt, translation, requestedBy, at)));
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
                    return Optional.of(bounded(() -> stillQuarantined(receipt, reason, requestedBy, at)));
                } catch (NotQuarantinedException again) {
                    throw again;
                } catch (RuntimeException storeFailure) {
                    throw new StoreUnavailableException("the store could not record the re-drive", storeFailure);
                }
            }
        }
    }

    private IntakeAnswer redriveOnce(UUID receipt, Translation translation, String requestedBy, Instant at) {
        if (translation instanceof Translation.Quarantine q) {
            return stillQuarantined(receipt, q.reason(), requestedBy, at);
        }
        lockQuarantined(receipt);
        IntakeAnswer answer = applyCommands(receipt, (Translation.Commands) translation);
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

    /** One database transaction whose statements and lock waits are bounded (see {@link Receipts#boundTransaction}). */
    private <T> T bounded(java.util.function.Supplier<T> work) {
        return transactions.execute(tx -> {
            receipts.boundTransaction(STATEMENT_TIMEOUT, LOCK_TIMEOUT);
            return work.get();
        });
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Failures.backoffMillis(attempt, java.util.concurrent.ThreadLocalRandom.current()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a concurrent append", e);
        }
    }

    /** A delivery whose commands the domain refused is stored in a fresh transaction, quarantined. */
    private IntakeAnswer record(Delivery delivery, String webhookType, String reason) {
        try {
            return bounded(() -> claimed(delivery, webhookType, Outcome.quarantined.name(), reason)
                    .map(id -> new IntakeAnswer(id, Outcome.quarantined, null, reason))
                    .orElseGet(() -> duplicateOf(delivery)));
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("the store could not record the quarantined delivery", e);
        }
    }

    private Optional<UUID> claimed(Delivery delivery, String webhookType, String outcome, String reason) {
        return receipts.claim(delivery, webhookType, outcome, reason);
    }

    private IntakeAnswer duplicateOf(Delivery delivery) {
        Receipts.ReceiptSummary original = receipts.countResend(delivery)
                .orElseThrow(() -> new IllegalStateException("receipt vanished between claim and count"));
        return new IntakeAnswer(original.receipt(), Outcome.duplicate, original.position(), null);
    }
}
