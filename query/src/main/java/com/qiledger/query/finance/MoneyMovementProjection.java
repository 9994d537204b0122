package com.qiledger.query.finance;

import static com.qiledger.query.support.Sql.timestamp;

import com.qiledger.command.messages.bankslip.BankSlipEvent;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchEvent;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.debt.CollateralEvent;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.BatchedWrites;
import com.qiledger.query.support.GuardedUpsert;
import com.qiledger.query.support.Positions;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The finance read model: the money-movement ledger ({@code ledger_entry}) and the per-entity figures
 * the reconciliation report joins ({@code fin_*}). One processor writes them all from every family's
 * events, so they always stand at the same event position. The aggregates decide what is current
 * (status, billing, snapshot, figures, collateral) and say so on their events; this projection folds.
 *
 * <p>Idempotent by event identity: an entry's key is (global position, ordinal) and (event id,
 * ordinal); a figures row is only touched by an event past its position. A replay after the reset
 * handler (which truncates every table) rebuilds the same rows. What an entry needs from the past is
 * read strictly below the event's own position, so handling an event twice computes the same entries.
 *
 * <p>Handlers are public so that tests can fold hand-made events without an event store.
 */
@Component
@BatchableHandlers
@ProcessingGroup(MoneyMovementProjection.PROCESSING_GROUP)
public class MoneyMovementProjection {

    public static final String PROCESSING_GROUP = "money-movements";

    /**
     * The bank-slip fold's upsert, one statement for every event (whether it is a payment notice or a
     * settlement is a parameter), so that a rebuild sends a run of them in one JDBC batch (issue 6).
     */
    private static final GuardedUpsert FOLD_BANK_SLIP = GuardedUpsert.into("fin_bank_slip", "bank_slip_key")
            .columns("""
                    bank_slip_key, status, notice_kind, notified_at, notified_date, notified_amount, settled_at,
                    settled_date, settled_amount
                    """)
            .values("""
                    :key, :status, :noticeKind, :notifiedAt, :notifiedDate, :notifiedAmount, :settledAt, :settledDate,
                    :settledAmount
                    """)
            .set("""
                    status = EXCLUDED.status,
                    notice_kind = CASE WHEN :earlierNotice THEN EXCLUDED.notice_kind ELSE v.notice_kind END,
                    notified_amount = CASE WHEN :earlierNotice THEN EXCLUDED.notified_amount ELSE v.notified_amount END,
                    notified_date = CASE WHEN :earlierNotice THEN EXCLUDED.notified_date ELSE v.notified_date END,
                    notified_at = CASE WHEN :earlierNotice THEN EXCLUDED.notified_at ELSE v.notified_at END,
                    settled_amount = CASE WHEN :laterSettlement THEN EXCLUDED.settled_amount ELSE v.settled_amount END,
                    settled_date = CASE WHEN :laterSettlement THEN EXCLUDED.settled_date ELSE v.settled_date END,
                    settled_at = CASE WHEN :laterSettlement THEN EXCLUDED.settled_at ELSE v.settled_at END
                    """
                    .replace(":earlierNotice",
                            "(:notice AND (v.notified_at IS NULL OR EXCLUDED.notified_at < v.notified_at))")
                    .replace(":laterSettlement",
                            "(:settlement AND (v.settled_at IS NULL OR EXCLUDED.settled_at > v.settled_at))"));

    private final JdbcClient jdbc;

    public MoneyMovementProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    public void on(LedgerEvent event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        List<MoneyMovement> movements = new ArrayList<>(MoneyMovements.of(event));
        if (event instanceof BankSlipEvent slip) {
            foldBankSlip(slip, movements, position);
        } else if (event instanceof InstallmentStatusChanged change) {
            foldInstallmentStatus(change, movements, position);
            movements = revisions(movements, position);
        } else if (event instanceof InstallmentBillingIssued billing) {
            foldBilling(billing, position);
        } else if (event instanceof DdaBankSlipEvent dda) {
            foldDda(dda, position);
        } else if (event instanceof ConciliationBatchEvent batch) {
            foldBatch(batch, position).ifPresent(movements::add);
        } else if (event instanceof CollateralEvent collateral) {
            foldCollateral(collateral, position);
        }
        Object receipt = message.getMetaData().get(LedgerMetaData.RECEIPT_ID);
        for (int ordinal = 0; ordinal < movements.size(); ordinal++) {
            enter(movements.get(ordinal), ordinal, position, message.getIdentifier(), event.recordedAt(),
                    receipt == null ? null : receipt.toString());
        }
    }

    @ResetHandler
    public void reset() {
        jdbc.sql("TRUNCATE ledger_entry, fin_bank_slip, fin_installment, fin_dda_slip, fin_batch, fin_collateral")
                .update();
    }

    private void enter(MoneyMovement m, int ordinal, long position, String eventId, Instant recordedAt,
                       String receipt) {
        BatchedWrites.sql(jdbc, """
                        INSERT INTO ledger_entry (position, ordinal, event_id, entity, entity_key, kind, amount,
                            effective_date, effective_source, effective_at, recorded_at, receipt_id, reference, detail)
                        VALUES (:position, :ordinal, :eventId, :entity, :key, :kind, :amount, :date, :source, :at,
                            :recordedAt, :receipt, :reference, :detail)
                        ON CONFLICT DO NOTHING
                        """)
                // nullable values with their SQL types: a batch's column of nulls then still has a type and
                // goes as an array (MultiRowInsert's column form), not as VALUES lists (issue 20)
                .param("position", position)
                .param("ordinal", ordinal)
                .param("eventId", eventId)
                .param("entity", m.entity())
                .param("key", m.key())
                .param("kind", m.kind().label())
                .param("amount", m.amount(), java.sql.Types.NUMERIC)
                .param("date", m.effectiveDate())
                .param("source", m.source().label())
                .param("at", timestamp(m.effectiveAt()), java.sql.Types.TIMESTAMP)
                .param("recordedAt", timestamp(recordedAt))
                .param("receipt", receipt, java.sql.Types.VARCHAR)
                .param("reference", m.reference(), java.sql.Types.VARCHAR)
                .param("detail", m.detail(), java.sql.Types.VARCHAR)
                .update();
    }

    /**
     * The earliest payment notice (by provider time; ties keep the first recorded) and the standing
     * settlement (the latest provider time wins, ties keep the first, as in the aggregate's precedence).
     */
    private void foldBankSlip(BankSlipEvent event, List<MoneyMovement> movements, long position) {
        boolean notice = movements.stream()
                .anyMatch(m -> m.kind() == MovementKind.SLIP_PAYMENT_NOTIFIED);
        boolean settlement = event instanceof BankSlipPaid;
        SlipPayment payment = event.facts().payment();
        BigDecimal amount = payment == null ? null : payment.paidAmount();
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.recordedAt();
        FOLD_BANK_SLIP.write(jdbc, position)
                .param("key", event.bankSlipKey())
                .param("notice", notice)
                .param("settlement", settlement)
                .param("status", event.statusAfter().providerName())
                .param("noticeKind", notice ? event.reportedStatus().providerName() : null, java.sql.Types.VARCHAR)
                .param("notifiedAt", notice ? timestamp(at) : null, java.sql.Types.TIMESTAMP)
                .param("notifiedDate", notice ? MoneyMovements.businessDay(at) : null, java.sql.Types.DATE)
                .param("notifiedAmount", notice ? amount : null, java.sql.Types.NUMERIC)
                .param("settledAt", settlement ? timestamp(at) : null, java.sql.Types.TIMESTAMP)
                .param("settledDate", settlement ? MoneyMovements.businessDay(at) : null, java.sql.Types.DATE)
                .param("settledAmount", settlement ? amount : null, java.sql.Types.NUMERIC)
                .update();
    }

    /**
     * The installment fold's upsert, one statement for status changes and billings (which one is the
     * parameter {@code :isStatus}), so that a rebuild sends a run of them in one JDBC batch (issue 6).
     * A status change sets the status, its date (the current one's, or the first), the paid amount and
     * the latest payment date; a billing sets, when current, the slip, total, due and expected dates.
     */
    private static final GuardedUpsert FOLD_INSTALLMENT = GuardedUpsert.into("fin_installment", "installment_key")
            .columns("""
                    installment_key, debt_key, status, status_date, paid_amount, last_payment_date, bank_slip_key,
                    total_amount, due_date, expected_date
                    """)
            .values(":key, :debt, :status, :statusDate, :paid, :lastPayment, :slip, :total, :dueDate, :expected")
            .set("""
                    status = CASE WHEN :isStatus THEN EXCLUDED.status ELSE v.status END,
                    status_date = CASE WHEN :isStatus AND (:current OR v.status_date IS NULL) THEN EXCLUDED.status_date
                        ELSE v.status_date END,
                    paid_amount = CASE WHEN :isStatus THEN EXCLUDED.paid_amount ELSE v.paid_amount END,
                    last_payment_date = CASE WHEN :isStatus
                        THEN GREATEST(v.last_payment_date, EXCLUDED.last_payment_date) ELSE v.last_payment_date END,
                    bank_slip_key = CASE WHEN :isBilling THEN EXCLUDED.bank_slip_key ELSE v.bank_slip_key END,
                    total_amount = CASE WHEN :isBilling THEN EXCLUDED.total_amount ELSE v.total_amount END,
                    due_date = CASE WHEN :isBilling THEN EXCLUDED.due_date ELSE v.due_date END,
                    expected_date = CASE WHEN :isBilling THEN EXCLUDED.expected_date ELSE v.expected_date END
                    """
                    // a billing changes its columns only when it is the current one
                    .replace(":isBilling", "(NOT :isStatus AND :current)"));

    private void foldInstallmentStatus(InstallmentStatusChanged event, List<MoneyMovement> payments,
                                       long position) {
        LocalDate statusDate = MoneyMovements.businessDay(
                event.occurredAt() != null ? event.occurredAt() : event.recordedAt());
        LocalDate lastPayment = payments.stream()
                .map(MoneyMovement::effectiveDate)
                .max(LocalDate::compareTo)
                .orElse(null);
        FOLD_INSTALLMENT.write(jdbc, position)
                .param("isStatus", true)
                .param("key", event.installmentKey())
                .param("debt", event.debtKey())
                .param("status", event.statusAfter().providerName(), java.sql.Types.VARCHAR)
                .param("statusDate", statusDate, java.sql.Types.DATE)
                .param("paid", event.paidAmountAfter(), java.sql.Types.NUMERIC)
                .param("lastPayment", lastPayment, java.sql.Types.DATE)
                .param("slip", null, java.sql.Types.VARCHAR)
                .param("total", null, java.sql.Types.NUMERIC)
                .param("dueDate", null, java.sql.Types.DATE)
                .param("expected", null, java.sql.Types.DATE)
                .param("current", event.current())
                .update();
    }

    /**
     * In a batched replay (a rebuild lane), what the ledger holds per payment key after the events
     * replayed so far in this run: each key is read from the database once, when first seen, and then
     * kept up to date here, so a revision never needs the queued entries sent to read them back.
     * Every installment-payment entry is entered through {@link #revisions}, which puts its key here,
     * so a key not here has no queued entry and the database's answer is complete.
     */
    private static final BatchedWrites.RunLocal<Map<PaymentKey, Prior>> ENTERED =
            new BatchedWrites.RunLocal<>(HashMap::new);

    /**
     * A payment key already entered (below this position) is entered again only by what its amount
     * changed, as a revision, so the entries of a key always add up to its standing amount. Every
     * payment of the event is compared with what the ledger held before the event.
     */
    private List<MoneyMovement> revisions(List<MoneyMovement> payments, long position) {
        Map<PaymentKey, Prior> entered = ENTERED.get().orElse(null);
        Map<PaymentKey, Prior> before = new HashMap<>();
        List<MoneyMovement> entries = new ArrayList<>();
        for (MoneyMovement p : payments) {
            Prior prior = before.computeIfAbsent(PaymentKey.of(p), key -> entered != null && entered.containsKey(key)
                    ? entered.get(key) : storedPrior(key, position));
            if (prior.entries() == 0) {
                entries.add(p);
                continue;
            }
            BigDecimal change = orZero(p.amount()).subtract(prior.amount());
            if (change.signum() != 0) {
                entries.add(p.withAmount(change, MovementKind.INSTALLMENT_PAYMENT_REVISED));
            }
        }
        if (entered != null) {
            entered.putAll(before);
            entries.forEach(e -> entered.merge(PaymentKey.of(e), new Prior(1, orZero(e.amount())), Prior::plus));
        }
        return entries;
    }

    private Prior storedPrior(PaymentKey key, long position) {
        return jdbc.sql("""
                        SELECT count(*) AS entries, COALESCE(sum(amount), 0) AS amount FROM ledger_entry
                        WHERE entity = :entity AND entity_key = :key AND reference = :reference
                            AND kind IN ('installment_payment', 'installment_payment_revised')
                            AND position < :position
                        """)
                .param("entity", key.entity())
                .param("key", key.key())
                .param("reference", key.reference())
                .param("position", position)
                .query((rs, n) -> new Prior(rs.getLong("entries"), rs.getBigDecimal("amount")))
                .single();
    }

    private record PaymentKey(String entity, String key, String reference) {

        static PaymentKey of(MoneyMovement m) {
            return new PaymentKey(m.entity(), m.key(), m.reference());
        }
    }

    private record Prior(long entries, BigDecimal amount) {

        Prior plus(Prior other) {
            return new Prior(entries + other.entries, amount.add(other.amount));
        }
    }

    /** The current billing says what is expected, from which slip, by when (its due date, else its recording day). */
    private void foldBilling(InstallmentBillingIssued event, long position) {
        InstallmentBilling b = event.billing();
        LocalDate expected = b.dueDate() != null ? b.dueDate() : MoneyMovements.businessDay(event.recordedAt());
        FOLD_INSTALLMENT.write(jdbc, position)
                .param("isStatus", false)
                .param("key", event.installmentKey())
                .param("debt", event.debtKey())
                .param("status", null, java.sql.Types.VARCHAR)
                .param("statusDate", null, java.sql.Types.DATE)
                .param("paid", BigDecimal.ZERO, java.sql.Types.NUMERIC)
                .param("lastPayment", null, java.sql.Types.DATE)
                .param("slip", b.bankSlipKey(), java.sql.Types.VARCHAR)
                .param("total", b.totalAmount(), java.sql.Types.NUMERIC)
                .param("dueDate", b.dueDate(), java.sql.Types.DATE)
                .param("expected", expected, java.sql.Types.DATE)
                .param("current", event.current())
                .update();
    }

    /** A DDA slip's status and partial payments always, its current snapshot's figures when current. */
    private static final GuardedUpsert FOLD_DDA = GuardedUpsert.into("fin_dda_slip", "slip_key")
            .columns("slip_key, status, total_amount, total_payment_amount, partially_paid_amount, snapshot_date")
            .values(":key, :status, :total, :paid, :partial, :date")
            .set("""
                    status = EXCLUDED.status,
                    partially_paid_amount = EXCLUDED.partially_paid_amount
                    """, GuardedUpsert.whenCurrent("total_amount", "total_payment_amount", "snapshot_date"));

    private void foldDda(DdaBankSlipEvent event, long position) {
        FOLD_DDA.write(jdbc, position)
                .param("key", event.slipKey())
                .param("status", event.statusAfter().providerName())
                .param("total", event.snapshot().totalAmount(), java.sql.Types.NUMERIC)
                .param("paid", event.snapshot().totalPaymentAmount(), java.sql.Types.NUMERIC)
                .param("partial", event.partiallyPaidAmountAfter() == null ? BigDecimal.ZERO
                        : event.partiallyPaidAmountAfter())
                .param("date", MoneyMovements.businessDay(event.recordedAt()))
                .param("current", event.snapshotCurrent())
                .update();
    }

    /** A batch's figures, when they are its current ones. */
    private static final GuardedUpsert FOLD_BATCH = GuardedUpsert.into("fin_batch", "batch_key")
            .columns("""
                    batch_key, reference_date, figures_date, total_amount, conciliated_amount, total_orders,
                    conciliated_orders
                    """)
            .values(":key, :referenceDate, :figuresDate, :total, :conciliated, :orders, :conciliatedOrders")
            .set(GuardedUpsert.whenCurrent("reference_date", "figures_date", "total_amount", "conciliated_amount",
                    "total_orders", "conciliated_orders"));

    /**
     * Folds the batch's figures and returns the change of its current conciliated amount, if any. An
     * event at or below the row's position was folded before: its entry is already there.
     */
    private Optional<MoneyMovement> foldBatch(ConciliationBatchEvent event, long position) {
        BatchedWrites.beforeRead("fin_batch");
        Optional<BatchRow> before = jdbc.sql("SELECT conciliated_amount, position FROM fin_batch WHERE batch_key = :key")
                .param("key", event.batchKey())
                .query((rs, n) -> new BatchRow(rs.getBigDecimal("conciliated_amount"), rs.getLong("position")))
                .optional();
        if (before.isPresent() && before.get().position() >= position) {
            return Optional.empty();
        }
        BatchFigures f = event.figures();
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.recordedAt();
        FOLD_BATCH.write(jdbc, position)
                .param("key", event.batchKey())
                .param("referenceDate", f.referenceDate(), java.sql.Types.DATE)
                .param("figuresDate", MoneyMovements.businessDay(at))
                .param("total", f.totalAmount(), java.sql.Types.NUMERIC)
                .param("conciliated", f.conciliatedAmount(), java.sql.Types.NUMERIC)
                .param("orders", f.totalPaymentOrders())
                .param("conciliatedOrders", f.conciliatedPaymentOrders())
                .param("current", event.figuresCurrent() || before.isEmpty())
                .update();
        if (!event.figuresCurrent() && before.isPresent()) {
            return Optional.empty();
        }
        BigDecimal previous = before.map(BatchRow::conciliated).orElse(null);
        BigDecimal change = orZero(f.conciliatedAmount()).subtract(orZero(previous));
        return change.signum() == 0 ? Optional.empty()
                : Optional.of(MoneyMovements.batchConciliated(event, change));
    }

    private record BatchRow(BigDecimal conciliated, long position) {
    }

    private static BigDecimal orZero(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO : amount;
    }

    /** A debt's current collateral: the total it declares and what its funds' locks add up to. */
    private static final GuardedUpsert FOLD_COLLATERAL = GuardedUpsert.into("fin_collateral", "debt_key")
            .columns("debt_key, total_amount, funds_amount, collateral_date")
            .values(":key, :total, :funds, :date")
            .setAll();

    private void foldCollateral(CollateralEvent event, long position) {
        if (!event.collateralCurrent()) {
            return;
        }
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.recordedAt();
        FOLD_COLLATERAL.write(jdbc, position)
                .param("key", event.debtKey())
                .param("total", event.collateral().totalGrossAmountLock())
                .param("funds", MoneyMovements.fundsLocked(event))
                .param("date", MoneyMovements.businessDay(at))
                .update();
    }
}
