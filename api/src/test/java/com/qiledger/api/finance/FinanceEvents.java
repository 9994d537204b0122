package com.qiledger.api.finance;

import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipNotaryPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.BankSlipWrittenOff;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchCreated;
import com.qiledger.command.messages.conciliation.ConciliationBatchFiguresReported;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBankSlipUpdated;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.CollateralCheck;
import com.qiledger.command.messages.debt.CollateralConstituted;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtStatus;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.InvestmentFund;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-made events as the aggregates would emit them, for the finance tests. Times are São Paulo
 * wall-clock times ({@code "2024-03-10T09:00"}), as the provider writes them; amounts are decimal text.
 */
final class FinanceEvents {

    static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");
    static final Instant RECORDED = Instant.parse("2026-06-30T15:00:00Z");

    private FinanceEvents() {
    }

    static Instant sp(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SAO_PAULO).toInstant();
    }

    static BigDecimal money(String amount) {
        return amount == null ? null : new BigDecimal(amount);
    }

    private static BankSlipFacts paid(String amount) {
        return new BankSlipFacts("1", null, null, null, new SlipPayment(money(amount), null, null, null, null, null,
                null, null, null, null, null, null, null, null));
    }

    static BankSlipPaymentNotified notice(String slip, String amount, String at) {
        return new BankSlipPaymentNotified(slip, sp(at), RECORDED, paid(amount), BankSlipStatus.PAYMENT_NOTICE);
    }

    static BankSlipNotaryPaymentNotified notaryNotice(String slip, String amount, String at) {
        return new BankSlipNotaryPaymentNotified(slip, sp(at), RECORDED, paid(amount),
                BankSlipStatus.NOTARY_OFFICE_PAYMENT_NOTICE);
    }

    static BankSlipPaid settled(String slip, String amount, String at) {
        return new BankSlipPaid(slip, sp(at), RECORDED, paid(amount), BankSlipStatus.PAID);
    }

    static BankSlipPaid settledAt(String slip, String amount, Instant at) {
        return new BankSlipPaid(slip, at, RECORDED, paid(amount), BankSlipStatus.PAID);
    }

    static BankSlipWrittenOff writtenOff(String slip, String at) {
        return new BankSlipWrittenOff(slip, sp(at), RECORDED, new BankSlipFacts("1", null, null, null, null),
                WriteOffReason.decode("16", "Baixado"), BankSlipStatus.WRITTEN_OFF);
    }

    static InstallmentBillingIssued billing(String installment, String slip, String total, String dueDate,
                                            boolean current) {
        return new InstallmentBillingIssued(installment, "debt-" + installment, RECORDED,
                new InstallmentBilling("line", null, null, null, null, slip, dueDate == null ? null
                        : LocalDate.parse(dueDate), money(total)), current);
    }

    static InstallmentPayment payment(String key, String amount, String paidAt) {
        return new InstallmentPayment(key, paidAt == null ? null : sp(paidAt), money(amount), "pix");
    }

    /** A status change that became current, with the payments it made known and the sum after it. */
    static InstallmentStatusChanged status(String installment, InstallmentStatus status, String paidAfter,
                                           InstallmentPayment... newPayments) {
        List<InstallmentPayment> payments = Arrays.asList(newPayments);
        InstallmentStatusReport report = new InstallmentStatusReport(status, status, null, null, null, List.of(),
                payments);
        return new InstallmentStatusChanged(installment, "debt-" + installment, report.latestProviderTime(), RECORDED,
                report, true, status, false, List.of(), payments, money(paidAfter));
    }

    static DdaBankSlipUpdated dda(String slip, String fingerprint, DdaBankSlipStatus status, String total,
                                  String paid, DdaBankSlipStatus statusAfter, boolean current, String partialAfter,
                                  Instant recordedAt) {
        DdaBankSlipSnapshot snapshot = new DdaBankSlipSnapshot(null, null, status, null, money(total), money(paid),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        return new DdaBankSlipUpdated(slip, "baas.dda.bankslip.update", recordedAt, snapshot, fingerprint, List.of(),
                statusAfter, current, money(partialAfter));
    }

    static ConciliationBatchCreated batch(String key, String total, String conciliated, long orders,
                                          long conciliatedOrders, String referenceDate, String at) {
        return new ConciliationBatchCreated(key, sp(at), RECORDED, figures(total, conciliated, orders,
                conciliatedOrders, referenceDate), true);
    }

    static ConciliationBatchFiguresReported batchUpdate(String key, String total, String conciliated, long orders,
                                                        long conciliatedOrders, String referenceDate, String at,
                                                        boolean current) {
        return new ConciliationBatchFiguresReported(key, "baas.automatic_pix.payment_order_conciliation_batch.update",
                sp(at), RECORDED, figures(total, conciliated, orders, conciliatedOrders, referenceDate), current);
    }

    private static BatchFigures figures(String total, String conciliated, long orders, long conciliatedOrders,
                                        String referenceDate) {
        return new BatchFigures("open", "fixed_amount", "account", money(total), money(conciliated), orders,
                conciliatedOrders, referenceDate == null ? null : LocalDate.parse(referenceDate), null);
    }

    static DebtCanceled tedRefused(String debt, String amount, String reason, String refusedAt) {
        TedRefusal ted = new TedRefusal("tx-" + debt, null, null, null, money(amount), BigDecimal.ZERO,
                "agencia_conta_invalida", reason, sp(refusedAt));
        return new DebtCanceled(debt, sp(refusedAt).plusSeconds(3600), RECORDED, DisbursementRefusal.ted(ted), true,
                DebtStatus.CANCELED);
    }

    static DebtCanceled pixRefused(String debt, String reason, String at) {
        return new DebtCanceled(debt, sp(at), RECORDED,
                DisbursementRefusal.pix(new PixRefusal("invalid_document_number", reason)), true, DebtStatus.CANCELED);
    }

    static CollateralConstituted collateral(String debt, String total, String at, boolean current, String... funds) {
        List<InvestmentFund> list = Arrays.stream(funds)
                .map(f -> new InvestmentFund("1", "2", "Fund", "32402502000135", "", "", money(f)))
                .toList();
        BigDecimal sum = list.stream().map(InvestmentFund::lockGrossAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new CollateralConstituted(debt, sp(at), RECORDED,
                new Collateral("private_pension", true, money(total), list), new CollateralCheck(sum, List.of()),
                current, DebtStatus.COLLATERAL_CONSTITUTED);
    }
}
