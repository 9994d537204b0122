package com.qiledger.query.journal;

import com.qiledger.command.messages.bankslip.BankSlipEvent;
import com.qiledger.command.messages.bankslip.BankSlipNotaryPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipWrittenOff;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.conciliation.ConciliationBatchEvent;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.debt.CollateralEvent;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.debt.DebtEvent;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentEvent;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one event posts, as a pure function of the event and the entity's standing figures before
 * it ({@link JournalRule} is the table): the journal is a pure function of the event stream, read in
 * each entity's order. Every figure change posts equal debits and credits, so every transaction is
 * balanced by construction (and the database refuses one that is not).
 *
 * <p><b>Effective date</b>, the business day in America/Sao_Paulo, as the money-movement ledger
 * dates the same facts: the provider's time of the fact, else the ledger's recorded time (DDA
 * snapshots and billings carry no time); a TED refusal's own {@code timestamp}; for installment
 * payments the latest {@code paid_at} among the event's new payments.
 */
public final class JournalEntries {

    /** The provider's zone: its business days are São Paulo's. */
    public static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    /** The entities as the read API names them ({@code /api/v1/<entity>/<key>}). */
    public enum Entity {
        BANK_SLIPS, DDA_BANK_SLIPS, INSTALLMENTS, CONCILIATION_BATCHES, DEBTS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private JournalEntries() {
    }

    /** The entity an event belongs to: its figures are the state the event's postings depend on. */
    public record EntityRef(String entity, String key) {

        EntityRef(Entity entity, String key) {
            this(entity.label(), key);
        }
    }

    /**
     * A transaction before it has a position: the entity, the effective date, the postings (empty
     * when the event moves no money) and the figures as they stand after it (only those it changed).
     */
    public record Draft(EntityRef entity, String eventType, LocalDate effectiveDate, List<Posting> postings,
                        Map<String, Figure> changed) {

        public BigDecimal debits() {
            return postings.stream().map(Posting::debit).filter(d -> d != null).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public BigDecimal credits() {
            return postings.stream().map(Posting::credit).filter(c -> c != null).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    public static Optional<EntityRef> entityOf(LedgerEvent event) {
        if (event instanceof BankSlipEvent e) {
            return Optional.of(new EntityRef(Entity.BANK_SLIPS, e.bankSlipKey()));
        }
        if (event instanceof DdaBankSlipEvent e) {
            return Optional.of(new EntityRef(Entity.DDA_BANK_SLIPS, e.slipKey()));
        }
        if (event instanceof InstallmentEvent e) {
            return Optional.of(new EntityRef(Entity.INSTALLMENTS, e.installmentKey()));
        }
        if (event instanceof ConciliationBatchEvent e) {
            return Optional.of(new EntityRef(Entity.CONCILIATION_BATCHES, e.batchKey()));
        }
        if (event instanceof DebtEvent e) {
            return Optional.of(new EntityRef(Entity.DEBTS, e.debtKey()));
        }
        return Optional.empty();
    }

    public static LocalDate businessDay(Instant instant) {
        return instant.atZone(ZONE).toLocalDate();
    }

    /** The postings of {@code event} at {@code position}, given the entity's figures before it. */
    public static Draft draft(LedgerEvent event, EntityRef entity, Map<String, Figure> before, long position,
                              String eventId) {
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.recordedAt();
        Builder b = new Builder(before, position, businessDay(effectiveAt(event, at)));
        if (event instanceof BankSlipEvent slip) {
            bankSlip(slip, b);
        } else if (event instanceof InstallmentBillingIssued billing) {
            if (billing.current()) {
                String[] keys = installmentKeys(billing);
                b.set(JournalRule.INSTALLMENT_BILLED, "billing", billing.billing().totalAmount(), keys);
            }
        } else if (event instanceof InstallmentStatusChanged change) {
            String[] keys = installmentKeys(change);
            for (InstallmentPayment p : change.newPayments()) {
                b.set(JournalRule.INSTALLMENT_PAID, "payment:" + p.installmentPaymentKey(), p.paidAmount(), keys);
            }
        } else if (event instanceof DdaBankSlipEvent dda) {
            DdaBankSlipStatus status = dda.snapshot().status();
            if (dda.snapshotCurrent() && (status == DdaBankSlipStatus.PAID || status == DdaBankSlipStatus.PARTIALLY_PAID)) {
                BigDecimal paid = status == DdaBankSlipStatus.PAID ? dda.snapshot().totalPaymentAmount()
                        : dda.partiallyPaidAmountAfter();
                b.set(JournalRule.DDA_PAID, "paid", paid, dda.slipKey());
            }
        } else if (event instanceof ConciliationBatchEvent batch) {
            if (batch.figuresCurrent()) {
                b.set(JournalRule.BATCH_CONCILIATED, "conciliated", batch.figures().conciliatedAmount(),
                        batch.batchKey());
            }
        } else if (event instanceof DebtCanceled canceled) {
            TedRefusal ted = canceled.refusal().tedRefusal();
            if (ted != null) {
                String name = "refusal:" + (ted.transactionKey() != null ? ted.transactionKey() : eventId);
                b.set(JournalRule.DISBURSEMENT_REFUSED, name, ted.amount(), canceled.debtKey());
            }
        } else if (event instanceof CollateralEvent collateral) {
            if (collateral.collateralCurrent()) {
                b.set(JournalRule.COLLATERAL_LOCKED, "collateral", collateral.collateral().totalGrossAmountLock(),
                        collateral.debtKey());
            }
        } else if (event instanceof DebtCanceledPermanently) {
            b.release("collateral");
        }
        return new Draft(entity, event.getClass().getSimpleName(), b.date, List.copyOf(b.postings),
                b.changed.values().stream().map(f -> f.date().equals(b.date) ? f
                        : new Figure(f.name(), f.amount(), f.debit(), f.credit(), f.position(), b.date))
                        .collect(java.util.stream.Collectors.toMap(Figure::name, f -> f)));
    }

    /**
     * The provider's time of the fact: the latest {@code paid_at} of an installment status change's new
     * payments, a TED refusal's own {@code timestamp}, else {@code at} (its time, else its recording).
     */
    private static Instant effectiveAt(LedgerEvent event, Instant at) {
        if (event instanceof InstallmentStatusChanged change) {
            return change.newPayments().stream().map(InstallmentPayment::paidAt).filter(p -> p != null)
                    .max(Instant::compareTo).orElse(at);
        }
        if (event instanceof DebtCanceled canceled && canceled.refusal().tedRefusal() != null
                && canceled.refusal().tedRefusal().refusedAt() != null) {
            return canceled.refusal().tedRefusal().refusedAt();
        }
        return at;
    }

    private static void bankSlip(BankSlipEvent slip, Builder b) {
        SlipPayment payment = slip.facts().payment();
        BigDecimal paid = payment == null ? null : payment.paidAmount();
        String key = slip.bankSlipKey();
        if (slip instanceof BankSlipPaymentNotified || slip instanceof BankSlipNotaryPaymentNotified) {
            b.set(JournalRule.SLIP_PAYMENT_NOTIFIED, "in_transit", paid, key);
        } else if (slip instanceof BankSlipPaid) {
            b.release("in_transit");
            b.set(JournalRule.SLIP_SETTLED, "settled", paid, key);
        } else if (slip instanceof BankSlipWrittenOff) {
            b.transfer(JournalRule.SLIP_WRITTEN_OFF, "in_transit", key);
        }
    }

    private static String[] installmentKeys(InstallmentEvent event) {
        return new String[] {event.debtKey() == null ? "unknown" : event.debtKey(), event.installmentKey()};
    }

    /** Postings in the order they are made; figures as they stand after each change. */
    private static final class Builder {

        private final Map<String, Figure> before;
        private final long position;
        private final List<Posting> postings = new ArrayList<>();
        private final Map<String, Figure> changed = new LinkedHashMap<>();
        /** The transaction's date: the event's, or a reversed posting's when later (never before what it corrects). */
        private LocalDate date;

        Builder(Map<String, Figure> before, long position, LocalDate date) {
            this.before = before;
            this.position = position;
            this.date = date;
        }

        private Figure standing(String name) {
            Figure f = changed.get(name);
            return f != null ? f : before.get(name);
        }

        /** The figure becomes {@code amount} (null: the fact carries no amount, nothing changes). */
        void set(JournalRule rule, String name, BigDecimal amount, String... keys) {
            if (amount == null) {
                return;
            }
            String debit = rule.debit(keys);
            String credit = rule.credit(keys);
            Figure prior = standing(name);
            if (prior != null && prior.amount().compareTo(amount) == 0 && prior.debit().equals(debit)
                    && prior.credit().equals(credit)) {
                return;
            }
            if (prior == null && amount.signum() == 0) {
                return;
            }
            reverse(prior);
            post(debit, credit, amount, null);
            changed.put(name, new Figure(name, amount, debit, credit, position, date));
        }

        /** The figure is taken back: its posting reversed, its amount zero. */
        void release(String name) {
            Figure prior = standing(name);
            if (prior != null && prior.amount().signum() != 0) {
                reverse(prior);
                changed.put(name, new Figure(name, BigDecimal.ZERO, prior.debit(), prior.credit(), position, date));
            }
        }

        /** The figure's standing amount moves from its debit account to the rule's debit account. */
        void transfer(JournalRule rule, String name, String... keys) {
            Figure prior = standing(name);
            if (prior != null && prior.amount().signum() != 0) {
                date = prior.date().isAfter(date) ? prior.date() : date;
                post(rule.debit(keys), prior.debit(), prior.amount(), null);
                changed.put(name, new Figure(name, BigDecimal.ZERO, prior.debit(), prior.credit(), position, date));
            }
        }

        private void reverse(Figure prior) {
            if (prior != null && prior.amount().signum() != 0) {
                date = prior.date().isAfter(date) ? prior.date() : date;
                post(prior.credit(), prior.debit(), prior.amount(), prior.position());
            }
        }

        /** Debits {@code debit} and credits {@code credit} by {@code amount}; a negative amount swaps the sides. */
        private void post(String debit, String credit, BigDecimal amount, Long reverses) {
            if (amount.signum() == 0) {
                return;
            }
            if (amount.signum() < 0) {
                post(credit, debit, amount.negate(), reverses);
                return;
            }
            postings.add(new Posting(postings.size(), debit, amount, null, reverses));
            postings.add(new Posting(postings.size(), credit, null, amount, reverses));
        }
    }
}
