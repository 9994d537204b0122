package com.qiledger.query.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipNotaryPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipRegistered;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.BankSlipWrittenOff;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchCreated;
import com.qiledger.command.messages.dda.DdaBankSlipRegistered;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBankSlipUpdated;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.CollateralCheck;
import com.qiledger.command.messages.debt.CollateralConstituted;
import com.qiledger.command.messages.debt.CollateralReported;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
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
import java.util.List;
import org.junit.jupiter.api.Test;

class MoneyMovementsTest {

    static final Instant RECORDED = Instant.parse("2026-06-30T15:00:00Z");

    /** A São Paulo wall-clock time, as the provider writes its zone-less times. */
    static Instant sp(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(MoneyMovements.ZONE).toInstant();
    }

    static BankSlipFacts paidFacts(String amount) {
        return new BankSlipFacts("142", null, null, null, new SlipPayment(new BigDecimal(amount), null, null, "104",
                null, null, null, "2", null, null, null, null, null, null));
    }

    static DdaBankSlipSnapshot snapshot(DdaBankSlipStatus status, String total, String paid) {
        return new DdaBankSlipSnapshot(null, null, status, null, new BigDecimal(total),
                paid == null ? null : new BigDecimal(paid), null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    @Test
    void aPaymentNoticeIsEnteredWithItsExactAmountOnItsProviderDayInSaoPaulo() {
        var notice = new BankSlipPaymentNotified("s1", sp("2021-04-19T20:04:06"), RECORDED, paidFacts("6676.38"),
                BankSlipStatus.PAYMENT_NOTICE);

        List<MoneyMovement> movements = MoneyMovements.of(notice);

        assertThat(movements).containsExactly(new MoneyMovement("bank-slips", "s1",
                MovementKind.SLIP_PAYMENT_NOTIFIED, new BigDecimal("6676.38"), sp("2021-04-19T20:04:06"),
                EffectiveSource.PROVIDER, null, "payment_notice"));
        assertThat(movements.get(0).effectiveDate()).isEqualTo(LocalDate.parse("2021-04-19"));
    }

    @Test
    void aNotaryNoticeIsAPaymentNoticeTooAndAPaymentIsASettlementWithItsScaleKept() {
        var notary = new BankSlipNotaryPaymentNotified("s1", sp("2024-03-10T09:00:00"), RECORDED, paidFacts("10"),
                BankSlipStatus.NOTARY_OFFICE_PAYMENT_NOTICE);
        var paid = new BankSlipPaid("s1", sp("2023-01-10T14:08:46"), RECORDED, paidFacts("551.5"), BankSlipStatus.PAID);

        assertThat(MoneyMovements.of(notary).get(0).detail()).isEqualTo("notary_office_payment_notice");
        assertThat(MoneyMovements.of(notary).get(0).kind()).isEqualTo(MovementKind.SLIP_PAYMENT_NOTIFIED);
        MoneyMovement settled = MoneyMovements.of(paid).get(0);
        assertThat(settled.kind()).isEqualTo(MovementKind.SLIP_SETTLED);
        assertThat(settled.amount()).isEqualTo(new BigDecimal("551.5")).extracting(BigDecimal::scale).isEqualTo(1);
        assertThat(settled.effectiveDate()).isEqualTo(LocalDate.parse("2023-01-10"));
    }

    @Test
    void theBusinessDayIsSaoPaulosNotUtcs() {
        // 02:30 UTC on the 16th is 23:30 on the 15th in São Paulo (UTC-3).
        var paid = new BankSlipPaid("s1", Instant.parse("2024-03-16T02:30:00Z"), RECORDED, paidFacts("1"),
                BankSlipStatus.PAID);

        assertThat(MoneyMovements.of(paid).get(0).effectiveDate()).isEqualTo(LocalDate.parse("2024-03-15"));
        assertThat(MoneyMovements.businessDay(Instant.parse("2024-03-16T03:00:00Z"))).isEqualTo(LocalDate.parse("2024-03-16"));
    }

    @Test
    void slipFactsWithoutMoneyAreNotEntered() {
        var registered = new BankSlipRegistered("s1", sp("2020-11-11T21:33:03"), RECORDED,
                new BankSlipFacts("11", null, BigDecimal.ZERO, null, null), BankSlipStatus.REGISTERED);
        var writtenOff = new BankSlipWrittenOff("s1", sp("2021-04-20T11:55:09"), RECORDED,
                new BankSlipFacts("11", null, null, null, null), WriteOffReason.decode("16", "x"),
                BankSlipStatus.WRITTEN_OFF);

        assertThat(MoneyMovements.of(registered)).isEmpty();
        assertThat(MoneyMovements.of(writtenOff)).isEmpty();
    }

    @Test
    void ddaPaymentsAreDatedByTheLedgersRecordedTimeAndSaySo() {
        var paid = new DdaBankSlipUpdated("d1", "baas.dda.bankslip.update", Instant.parse("2026-06-30T02:00:00Z"),
                snapshot(DdaBankSlipStatus.PAID, "1200", "1200"), "f1", List.of(), DdaBankSlipStatus.PAID, true,
                BigDecimal.ZERO);
        var partial = new DdaBankSlipUpdated("d1", "baas.dda.bankslip.update", RECORDED,
                snapshot(DdaBankSlipStatus.PARTIALLY_PAID, "1000", "300.00"), "f2", List.of(),
                DdaBankSlipStatus.PARTIALLY_PAID, true, new BigDecimal("300.00"));
        var registered = new DdaBankSlipRegistered("d1", RECORDED, snapshot(DdaBankSlipStatus.REGISTERED, "999", null),
                "f0", List.of(), DdaBankSlipStatus.REGISTERED, true, BigDecimal.ZERO);

        assertThat(MoneyMovements.of(paid)).containsExactly(new MoneyMovement("dda-bank-slips", "d1",
                MovementKind.DDA_PAYMENT, new BigDecimal("1200"), Instant.parse("2026-06-30T02:00:00Z"),
                EffectiveSource.RECORDED, "f1", "paid"));
        assertThat(MoneyMovements.of(paid).get(0).effectiveDate()).isEqualTo(LocalDate.parse("2026-06-29"));
        assertThat(MoneyMovements.of(partial).get(0).amount()).isEqualTo(new BigDecimal("300.00"));
        assertThat(MoneyMovements.of(registered)).isEmpty();
    }

    @Test
    void eachNewInstallmentPaymentIsEnteredOnItsOwnPaymentDay() {
        var report = new InstallmentStatusReport(InstallmentStatus.PAID, InstallmentStatus.PAID, true, null, null,
                List.of(), List.of());
        var withTime = new InstallmentPayment("p1", sp("2026-02-10T11:39:07"), new BigDecimal("1009.68"), "pix");
        var withoutTime = new InstallmentPayment("p2", null, new BigDecimal("5"), "boleto");
        var change = new InstallmentStatusChanged("i1", "debt", sp("2026-02-11T08:00:00"), RECORDED, report, true,
                InstallmentStatus.PAID, true, List.of(), List.of(withTime, withoutTime), new BigDecimal("1014.68"));
        var untimed = new InstallmentStatusChanged("i1", "debt", null, RECORDED, report, true,
                InstallmentStatus.PAID, true, List.of(), List.of(withoutTime), new BigDecimal("5"));

        List<MoneyMovement> movements = MoneyMovements.of(change);

        assertThat(movements).extracting(MoneyMovement::reference, MoneyMovement::amount, MoneyMovement::effectiveDate,
                        MoneyMovement::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("p1", new BigDecimal("1009.68"),
                                LocalDate.parse("2026-02-10"), EffectiveSource.PROVIDER),
                        org.assertj.core.groups.Tuple.tuple("p2", new BigDecimal("5"),
                                LocalDate.parse("2026-02-11"), EffectiveSource.PROVIDER));
        assertThat(MoneyMovements.of(untimed).get(0).source()).isEqualTo(EffectiveSource.RECORDED);
        assertThat(MoneyMovements.of(untimed).get(0).effectiveAt()).isEqualTo(RECORDED);
    }

    @Test
    void aTedRefusalIsEnteredWithItsAmountOnItsRefusalDayAndAPixRefusalWithoutAmount() {
        var ted = new TedRefusal("tx-1", null, null, null, new BigDecimal("483.6"), BigDecimal.ZERO,
                "agencia_conta_invalida", "Agência ou Conta Destinatária do Crédito Inválida",
                sp("2022-11-07T14:36:05"));
        var tedCanceled = new DebtCanceled("d", sp("2025-03-18T16:41:28"), RECORDED, DisbursementRefusal.ted(ted), true,
                DebtStatus.CANCELED);
        var pixCanceled = new DebtCanceled("d", sp("2025-03-18T16:41:28"), RECORDED,
                DisbursementRefusal.pix(new PixRefusal("invalid_document_number", "CPF, \"quoted\"")), true,
                DebtStatus.CANCELED);

        assertThat(MoneyMovements.of(tedCanceled)).containsExactly(new MoneyMovement("debts", "d",
                MovementKind.DISBURSEMENT_REFUSED, new BigDecimal("483.6"), sp("2022-11-07T14:36:05"),
                EffectiveSource.PROVIDER, "tx-1",
                "ted_refusal (agencia_conta_invalida): Agência ou Conta Destinatária do Crédito Inválida"));
        MoneyMovement pix = MoneyMovements.of(pixCanceled).get(0);
        assertThat(pix.amount()).isNull();
        assertThat(pix.effectiveDate()).isEqualTo(LocalDate.parse("2025-03-18"));
        assertThat(pix.detail()).isEqualTo("pix_refusal (invalid_document_number): CPF, \"quoted\"");
        assertThat(MoneyMovements.of(new DebtCanceledPermanently("d", sp("2025-03-18T16:41:28"), RECORDED)))
                .isEmpty();
    }

    @Test
    void aCollateralIsEnteredAtItsDeclaredTotalAndItsFundsAreAddedExactly() {
        var funds = List.of(fund("500"), fund("500.10"), fund("399.90"));
        var constituted = new CollateralConstituted("d", sp("2025-07-10T02:15:01"), RECORDED,
                new Collateral("private_pension", true, new BigDecimal("1500"), funds),
                new CollateralCheck(new BigDecimal("1400.00"), List.of()), true, DebtStatus.COLLATERAL_CONSTITUTED);
        var reported = new CollateralReported("d", sp("2025-07-10T02:15:01"), RECORDED,
                new Collateral("private_pension", null, new BigDecimal("1500"), funds),
                new CollateralCheck(new BigDecimal("1400.00"), List.of()), true, DebtStatus.COLLATERAL_REPORTED);

        MoneyMovement locked = MoneyMovements.of(constituted).get(0);
        assertThat(locked.kind()).isEqualTo(MovementKind.COLLATERAL_LOCKED);
        assertThat(locked.amount()).isEqualTo(new BigDecimal("1500"));
        assertThat(locked.effectiveDate()).isEqualTo(LocalDate.parse("2025-07-10"));
        assertThat(locked.detail()).isEqualTo("constituted");
        assertThat(MoneyMovements.of(reported).get(0).detail()).isEqualTo("reported");
        assertThat(MoneyMovements.fundsLocked(constituted)).isEqualTo(new BigDecimal("1400.00"));
    }

    @Test
    void aBatchReportStatesNoMovementOnItsOwnOnlyTheChangeThatTheProjectionComputes() {
        var created = new ConciliationBatchCreated("b1", Instant.parse("2021-10-22T20:30:23.459Z"), RECORDED,
                new BatchFigures("open", "fixed_amount", "acc", new BigDecimal("100.10"), new BigDecimal("40"), 3, 1,
                        LocalDate.parse("2025-06-13"), null), true);

        assertThat(MoneyMovements.of(created)).isEmpty();
        MoneyMovement change = MoneyMovements.batchConciliated(created, new BigDecimal("40"));
        assertThat(change.kind()).isEqualTo(MovementKind.BATCH_CONCILIATED);
        assertThat(change.effectiveDate()).isEqualTo(LocalDate.parse("2021-10-22"));
        assertThat(change.amount()).isEqualTo(new BigDecimal("40"));
    }

    @Test
    void aBillingSaysWhatIsExpectedButMovesNoMoney() {
        var billing = new InstallmentBillingIssued("i1", "debt", RECORDED, new InstallmentBilling(null, null, null,
                null, null, "slip", LocalDate.parse("2024-07-17"), new BigDecimal("216.97")), true);

        assertThat(MoneyMovements.of(billing)).isEmpty();
    }

    static InvestmentFund fund(String amount) {
        return new InvestmentFund("1", "2", "Fund", "32402502000135", "", "", new BigDecimal(amount));
    }
}
