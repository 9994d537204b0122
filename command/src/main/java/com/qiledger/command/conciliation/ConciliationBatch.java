package com.qiledger.command.conciliation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchCreated;
import com.qiledger.command.messages.conciliation.ConciliationBatchEvent;
import com.qiledger.command.messages.conciliation.ConciliationBatchFiguresReported;
import com.qiledger.command.messages.conciliation.RecordConciliationBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A Pix Automático payment-order conciliation batch, keyed by the provider's
 * {@code payment_order_conciliation_batch_key}.
 *
 * <p>Webhooks arrive in any order and more than once, so the aggregate records every distinct fact
 * (webhook type, provider time, figures) once and derives the current figures from provider time,
 * never from arrival order. A creation that arrives after a later report is still recorded as a
 * fact; it just does not move the figures back.
 *
 * <p>The current figures are those of the greatest fact in {@link #LATEST}:
 * <ol>
 *   <li>the later {@code occurredAt} ({@code webhook_datetime}) wins;</li>
 *   <li>at the same instant, any other report wins over the creation (a batch is reported on only
 *       after it exists), then the greater webhook type by its text;</li>
 *   <li>then the greater figures in a fixed field order (status, type, account, amounts by value and
 *       then by scale, counts, reference date, creation time; absent before present).</li>
 * </ol>
 * That order is total and agrees with equality of facts, so for one set of facts every arrival order,
 * with any resends, ends with the same figures. Which of two different reports at the same instant
 * is "right" cannot be known; the rule only makes the choice stable.
 */
@Aggregate
public class ConciliationBatch {

    static final String TYPE = "ConciliationBatch";

    private static final Comparator<BigDecimal> EXACT = Comparator
            .nullsFirst(Comparator.<BigDecimal>naturalOrder()
                    .thenComparingInt(BigDecimal::scale));

    static final Comparator<BatchFigures> FIGURES_ORDER = Comparator
            .comparing(BatchFigures::status, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(BatchFigures::type, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BatchFigures::accountKey, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BatchFigures::totalAmount, EXACT)
            .thenComparing(BatchFigures::conciliatedAmount, EXACT)
            .thenComparingLong(BatchFigures::totalPaymentOrders)
            .thenComparingLong(BatchFigures::conciliatedPaymentOrders)
            .thenComparing(BatchFigures::referenceDate, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BatchFigures::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()));

    static final Comparator<Fact> LATEST = Comparator
            .comparing(Fact::occurredAt)
            .thenComparing((Fact f) -> !f.isCreation())
            .thenComparing(Fact::webhookType)
            .thenComparing(Fact::figures, FIGURES_ORDER);

    @AggregateIdentifier
    private String aggregateId;
    private final Set<Fact> known = new HashSet<>();
    private Fact latest;
    private boolean creationKnown;

    protected ConciliationBatch() {
        // for Axon: created empty, then sourced from events or handed a creating command
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordConciliationBatch command) {
        Fact fact = Fact.of(command);
        if (known.contains(fact)) {
            return RecordingResult.ALREADY_RECORDED;
        }
        boolean current = latest == null || LATEST.compare(fact, latest) > 0;
        apply(command.isCreation()
                ? new ConciliationBatchCreated(command.batchKey(), command.occurredAt(), command.recordedAt(),
                        command.figures(), current)
                : new ConciliationBatchFiguresReported(command.batchKey(), command.webhookType(),
                        command.occurredAt(), command.recordedAt(), command.figures(), current));
        return RecordingResult.RECORDED;
    }

    @EventSourcingHandler
    void on(ConciliationBatchEvent event) {
        aggregateId = AggregateIds.of(TYPE, event.batchKey());
        Fact fact = new Fact(event.webhookType(), event.occurredAt(), event.figures());
        known.add(fact);
        creationKnown |= fact.isCreation();
        if (latest == null || LATEST.compare(fact, latest) > 0) {
            latest = fact;
        }
    }

    BatchFigures currentFigures() {
        return latest == null ? null : latest.figures();
    }

    /** Provider time of the fact the current figures come from. */
    Instant figuresAsOf() {
        return latest == null ? null : latest.occurredAt();
    }

    boolean creationKnown() {
        return creationKnown;
    }

    int knownFacts() {
        return known.size();
    }

    /** One fact as the provider stated it; equal facts are the same fact sent again. */
    record Fact(String webhookType, Instant occurredAt, BatchFigures figures) {

        /** By type and time only, equality still comparing the figures (as BankSlip.Fact: issue 20). */
        @Override
        public int hashCode() {
            return java.util.Objects.hash(webhookType, occurredAt);
        }

        static Fact of(RecordConciliationBatch c) {
            return new Fact(c.webhookType(), c.occurredAt(), c.figures());
        }

        boolean isCreation() {
            return RecordConciliationBatch.CREATION.equals(webhookType);
        }
    }
}
