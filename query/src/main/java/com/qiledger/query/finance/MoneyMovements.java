package com.qiledger.query.finance;

import com.qiledger.command.messages.bankslip.BankSlipEvent;
import com.qiledger.command.messages.bankslip.BankSlipNotaryPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.conciliation.ConciliationBatchEvent;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.debt.CollateralConstituted;
import com.qiledger.command.messages.debt.CollateralEvent;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Which monetary facts an event states: a pure function of the event, so that the ledger is a pure
 * function of the event stream. Two facts need what came before and are finished by the projection:
 * a batch's conciliated amount is entered as its change ({@link #batchConciliated}), and a payment key
 * reported again with another amount is entered as a revision (see {@link MoneyMovementProjection}).
 *
 * <p><b>Effective date.</b> The business day in America/Sao_Paulo of the provider's time of the fact:
 * {@code event_datetime} for bank slips and debt cancellations, the TED refusal's own {@code timestamp}
 * when present, a payment's {@code paid_at} (else the status change's latest provider time) for
 * installments, {@code webhook_datetime} for batches, {@code event_time} for collateral. DDA webhooks
 * carry no time: their facts are dated by the ledger's recorded time, and say so
 * ({@link EffectiveSource#RECORDED}).
 */
public final class MoneyMovements {

    /** The provider's zone: its zone-less times and its business days are São Paulo's. */
    public static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    public static final String BANK_SLIPS = "bank-slips";
    public static final String DDA_BANK_SLIPS = "dda-bank-slips";
    public static final String INSTALLMENTS = "installments";
    public static final String CONCILIATION_BATCHES = "conciliation-batches";
    public static final String DEBTS = "debts";

    private MoneyMovements() {
    }

    public static LocalDate businessDay(Instant instant) {
        return instant.atZone(ZONE).toLocalDate();
    }

    /** The monetary facts the event states on its own (none for batches: see {@link #batchConciliated}). */
    public static List<MoneyMovement> of(LedgerEvent event) {
        if (event instanceof BankSlipEvent slip) {
            return bankSlip(slip);
        }
        if (event instanceof DdaBankSlipEvent dda) {
            return dda(dda);
        }
        if (event instanceof InstallmentStatusChanged change) {
            return installmentPayments(change);
        }
        if (event instanceof DebtCanceled canceled) {
            return List.of(refusal(canceled));
        }
        if (event instanceof CollateralEvent collateral) {
            return List.of(collateral(collateral));
        }
        return List.of();
    }

    private static List<MoneyMovement> bankSlip(BankSlipEvent event) {
        boolean notice = event instanceof BankSlipPaymentNotified || event instanceof BankSlipNotaryPaymentNotified;
        if (!notice && !(event instanceof BankSlipPaid)) {
            return List.of();
        }
        SlipPayment payment = event.facts().payment();
        return List.of(new MoneyMovement(BANK_SLIPS, event.bankSlipKey(),
                notice ? MovementKind.SLIP_PAYMENT_NOTIFIED : MovementKind.SLIP_SETTLED,
                payment == null ? null : payment.paidAmount(),
                event.occurredAt() != null ? event.occurredAt() : event.recordedAt(),
                event.occurredAt() != null ? EffectiveSource.PROVIDER : EffectiveSource.RECORDED,
                null, event.reportedStatus().providerName()));
    }

    private static List<MoneyMovement> dda(DdaBankSlipEvent event) {
        DdaBankSlipStatus status = event.snapshot().status();
        if (status != DdaBankSlipStatus.PAID && status != DdaBankSlipStatus.PARTIALLY_PAID) {
            return List.of();
        }
        return List.of(new MoneyMovement(DDA_BANK_SLIPS, event.slipKey(), MovementKind.DDA_PAYMENT,
                event.snapshot().totalPaymentAmount(), event.recordedAt(), EffectiveSource.RECORDED,
                event.fingerprint(), status.providerName()));
    }

    /** The payments this status change made known, each at its full amount, in the event's order. */
    private static List<MoneyMovement> installmentPayments(InstallmentStatusChanged event) {
        List<MoneyMovement> movements = new ArrayList<>();
        for (InstallmentPayment p : event.newPayments()) {
            Instant provider = p.paidAt() != null ? p.paidAt() : event.occurredAt();
            movements.add(new MoneyMovement(INSTALLMENTS, event.installmentKey(), MovementKind.INSTALLMENT_PAYMENT,
                    p.paidAmount(), provider != null ? provider : event.recordedAt(),
                    provider != null ? EffectiveSource.PROVIDER : EffectiveSource.RECORDED,
                    p.installmentPaymentKey(), p.paidMethodType()));
        }
        return movements;
    }

    private static MoneyMovement refusal(DebtCanceled event) {
        DisbursementRefusal refusal = event.refusal();
        TedRefusal ted = refusal.tedRefusal();
        PixRefusal pix = refusal.pixRefusal();
        Instant provider = ted != null && ted.refusedAt() != null ? ted.refusedAt() : event.occurredAt();
        String enumerator = ted != null ? ted.reasonEnumerator() : pix.reasonEnumerator();
        String reason = ted != null ? ted.reason() : pix.reason();
        String detail = refusal.cancelReason()
                + (enumerator == null ? "" : " (" + enumerator + ")")
                + (reason == null ? "" : ": " + reason);
        return new MoneyMovement(DEBTS, event.debtKey(), MovementKind.DISBURSEMENT_REFUSED,
                ted == null ? null : ted.amount(),
                provider != null ? provider : event.recordedAt(),
                provider != null ? EffectiveSource.PROVIDER : EffectiveSource.RECORDED,
                ted == null ? null : ted.transactionKey(), detail);
    }

    private static MoneyMovement collateral(CollateralEvent event) {
        return new MoneyMovement(DEBTS, event.debtKey(), MovementKind.COLLATERAL_LOCKED,
                event.collateral().totalGrossAmountLock(),
                event.occurredAt() != null ? event.occurredAt() : event.recordedAt(),
                event.occurredAt() != null ? EffectiveSource.PROVIDER : EffectiveSource.RECORDED,
                event.collateral().collateralType(),
                event instanceof CollateralConstituted ? "constituted" : "reported");
    }

    /**
     * The change of a batch's current conciliated amount that this event made, dated by the report's
     * {@code webhook_datetime}; the projection supplies the change and enters nothing when it is zero.
     */
    public static MoneyMovement batchConciliated(ConciliationBatchEvent event, BigDecimal change) {
        return new MoneyMovement(CONCILIATION_BATCHES, event.batchKey(), MovementKind.BATCH_CONCILIATED, change,
                event.occurredAt() != null ? event.occurredAt() : event.recordedAt(),
                event.occurredAt() != null ? EffectiveSource.PROVIDER : EffectiveSource.RECORDED,
                null, event.webhookType());
    }

    /** The sum of funds' locks of a collateral, exact. */
    static BigDecimal fundsLocked(CollateralEvent event) {
        return event.collateral().investmentFunds().stream()
                .map(f -> f.lockGrossAmount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
