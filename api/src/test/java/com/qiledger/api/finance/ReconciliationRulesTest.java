package com.qiledger.api.finance;

import static com.qiledger.api.finance.FinanceEvents.batch;
import static com.qiledger.api.finance.FinanceEvents.batchUpdate;
import static com.qiledger.api.finance.FinanceEvents.billing;
import static com.qiledger.api.finance.FinanceEvents.collateral;
import static com.qiledger.api.finance.FinanceEvents.dda;
import static com.qiledger.api.finance.FinanceEvents.notaryNotice;
import static com.qiledger.api.finance.FinanceEvents.notice;
import static com.qiledger.api.finance.FinanceEvents.payment;
import static com.qiledger.api.finance.FinanceEvents.pixRefused;
import static com.qiledger.api.finance.FinanceEvents.settled;
import static com.qiledger.api.finance.FinanceEvents.settledAt;
import static com.qiledger.api.finance.FinanceEvents.sp;
import static com.qiledger.api.finance.FinanceEvents.status;
import static com.qiledger.api.finance.FinanceEvents.tedRefused;
import static com.qiledger.api.finance.FinanceEvents.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.query.finance.CategorySummary;
import com.qiledger.query.finance.LedgerEntry;
import com.qiledger.query.finance.ReconciliationBreak;
import com.qiledger.query.finance.ReconciliationReport;
import com.qiledger.query.finance.ReferenceDateSubtotal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The six rules of the reconciliation report and the money-movement ledger, with exact figures and
 * period boundaries, against a real PostgreSQL: hand-made events are folded by the finance projection
 * and the report is read back through its query handler.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationRulesTest {

    FinanceDatabase db;

    @BeforeAll
    void start() {
        db = FinanceDatabase.start("finance-rules");
    }

    @AfterAll
    void stop() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.reset();
    }

    static BigDecimal $(String amount) {
        return new BigDecimal(amount);
    }

    static LocalDate day(String date) {
        return LocalDate.parse(date);
    }

    static List<ReconciliationBreak> breaks(ReconciliationReport report, String category) {
        return report.breaks().stream().filter(b -> b.category().equals(category)).toList();
    }

    static CategorySummary summary(ReconciliationReport report, String category) {
        return report.summary().stream().filter(s -> s.category().equals(category)).findFirst().orElseThrow();
    }

    // Rule 1: installment and bank slip

    @Test
    void rule1ASettlementForAnotherAmountThanTheInstallmentsTotalIsABreakDatedByTheSettlement() {
        db.fold(billing("i1", "s1", "100.00", "2024-03-15", true));
        db.fold(settled("s1", "90.00", "2024-03-10T11:00:00"));

        ReconciliationReport report = db.report("2024-03-01", "2024-03-31");

        assertThat(report.breaks()).containsExactly(new ReconciliationBreak(1, "installment_slip_mismatch",
                "installments", "i1", "s1", day("2024-03-10"), $("100.00"), $("90.00"), $("10.00"), null, null, null,
                "linked bank slip settled for another amount than the installment's total_amount", 21));
        assertThat(summary(report, "installment_slip_mismatch")).isEqualTo(new CategorySummary(1,
                "installment_slip_mismatch", 1, $("100.00"), $("90.00"), $("10.00"), null, null, null));
    }

    @Test
    void rule1ASettlementOfTheExpectedAmountIsNoBreakWhateverItsScale() {
        db.fold(billing("i1", "s1", "216.97", "2024-03-15", true));
        db.fold(settled("s1", "216.970", "2024-03-15T11:00:00"));

        assertThat(db.report("2024-03-01", "2024-03-31").breaks()).isEmpty();
    }

    @Test
    void rule1AnExpectedSlipNotSettledByTheEndOfThePeriodIsABreakDatedByTheDueDate() {
        db.fold(billing("i2", "s2", "216.97", "2024-03-15", true));
        db.fold(settled("s2", "216.97", "2024-04-02T10:00:00"));

        ReconciliationReport march = db.report("2024-03-01", "2024-03-31");

        assertThat(march.breaks()).containsExactly(new ReconciliationBreak(1, "installment_slip_unsettled",
                "installments", "i2", "s2", day("2024-03-15"), $("216.97"), $("0"), $("216.97"), null, null, null,
                "linked bank slip not settled by the end of the period", 16));
        // The settlement came in April, for the expected amount: April shows nothing, nor does a
        // March report that ends before the due date.
        assertThat(db.report("2024-04-01", "2024-04-30").breaks()).isEmpty();
        assertThat(db.report("2024-03-01", "2024-03-14").breaks()).isEmpty();
    }

    @Test
    void rule1AnExpectedSlipWithoutSettlementSaysWhenTheInstallmentWasPaidByOtherMeans() {
        db.fold(billing("i2", "s2", "100.00", "2024-03-15", true));
        db.fold(status("i2", InstallmentStatus.PAID, "100.00", payment("p1", "100.00", "2024-03-14T10:00:00")));

        assertThat(db.report("2024-03-01", "2024-03-31").breaks())
                .extracting(ReconciliationBreak::category, ReconciliationBreak::reason)
                .containsExactly(tuple("installment_slip_unsettled", "linked bank slip not settled by the end of the "
                        + "period; the installment's payments cover its total (paid by other means)"));
    }

    @Test
    void rule1ASettledSlipThatNoCurrentBillingNamesIsAnUnexpectedSettlement() {
        db.fold(billing("i3", "s-old", "50.00", "2024-03-01", true));
        db.fold(billing("i3", "s-new", "50.00", "2024-03-20", true));
        db.fold(settled("s-old", "50.00", "2024-03-05T10:00:00"));
        db.fold(settled("s9", "551.5", "2024-03-06T10:00:00"));
        db.fold(settled("s-new", "50.00", "2024-03-20T10:00:00"));

        ReconciliationReport report = db.report("2024-03-01", "2024-03-31");

        assertThat(report.breaks()).containsExactly(
                new ReconciliationBreak(1, "unexpected_settlement", "bank-slips", "s-old", null, day("2024-03-05"),
                        $("0"), $("50.00"), $("-50.00"), null, null, null,
                        "settled bank slip that no installment's current billing names", 26),
                new ReconciliationBreak(1, "unexpected_settlement", "bank-slips", "s9", null, day("2024-03-06"),
                        $("0"), $("551.5"), $("-551.5"), null, null, null,
                        "settled bank slip that no installment's current billing names", 25));
        assertThat(summary(report, "unexpected_settlement")).isEqualTo(new CategorySummary(1,
                "unexpected_settlement", 2, $("0"), $("601.50"), $("-601.50"), null, null, null));
    }

    @Test
    void rule1TheFirstAndLastDayOfThePeriodAreInsideTheDayBeforeAndAfterOutsideInSaoPauloTime() {
        db.fold(settled("before", "1.00", "2024-03-09T23:59:59"));
        db.fold(settled("first", "2.00", "2024-03-10T00:00:00"));
        // 02:30 UTC on the 16th is still the 15th in São Paulo.
        db.fold(settledAt("last", "3.00", Instant.parse("2024-03-16T02:30:00Z")));
        db.fold(settled("after", "4.00", "2024-03-16T00:00:00"));

        assertThat(db.report("2024-03-10", "2024-03-15").breaks())
                .extracting(ReconciliationBreak::key, ReconciliationBreak::effectiveDate, ReconciliationBreak::ageInDays)
                .containsExactly(tuple("first", day("2024-03-10"), 5L), tuple("last", day("2024-03-15"), 0L));
    }

    @Test
    void rule1TheLatestSettlementStandsWhateverTheOrderItArrivedIn() {
        db.fold(billing("i1", "s1", "100.00", "2024-03-15", true));
        db.fold(settled("s1", "100.00", "2024-03-12T10:00:00"));
        db.fold(settled("s1", "95.00", "2024-03-11T10:00:00"));

        assertThat(db.report("2024-03-01", "2024-03-31").breaks()).isEmpty();
    }

    // Rule 2: installment payments against the total

    @Test
    void rule2APaidStatusWithAShortfallAndPaymentsAboveTheTotalAreBreaksDatedByTheLatestPayment() {
        db.fold(billing("short", null, "300.00", "2024-03-10", true));
        db.fold(status("short", InstallmentStatus.PAID, "250.00", payment("p1", "100.00", "2024-03-05T10:00:00"),
                payment("p2", "150.00", "2024-03-08T10:00:00")));
        db.fold(billing("partial", null, "300.00", "2024-03-10", true));
        db.fold(status("partial", InstallmentStatus.PAID_PARTIAL, "100.00",
                payment("p3", "100.00", "2024-03-08T10:00:00")));
        db.fold(billing("over", null, "300.00", "2024-03-10", true));
        db.fold(status("over", InstallmentStatus.WAITING_PAYMENT, "350.00",
                payment("p4", "200.00", "2024-03-07T10:00:00"), payment("p5", "150.00", "2024-03-09T10:00:00")));
        db.fold(billing("exact", null, "300.00", "2024-03-10", true));
        db.fold(status("exact", InstallmentStatus.PAID_EARLY, "300.0", payment("p6", "300.0", "2024-03-08T10:00:00")));

        ReconciliationReport report = db.report("2024-03-01", "2024-03-31");

        assertThat(report.breaks()).containsExactly(
                new ReconciliationBreak(2, "installment_paid_shortfall", "installments", "short", null,
                        day("2024-03-08"), $("300.00"), $("250.00"), $("50.00"), null, null, null,
                        "status paid but the payments fall short of total_amount", 23),
                new ReconciliationBreak(2, "installment_overpaid", "installments", "over", null,
                        day("2024-03-09"), $("300.00"), $("350.00"), $("-50.00"), null, null, null,
                        "payments exceed total_amount (status waiting_payment)", 22));
    }

    @Test
    void rule2APaidStatusWithoutAnyPaymentIsDatedByItsStatusAndTheDayAfterThePeriodIsOutside() {
        db.fold(billing("i1", null, "80.00", "2024-03-10", true));
        db.fold(status("i1", InstallmentStatus.PAID_OVERDUE, "0"));
        db.fold(billing("i2", null, "80.00", "2024-03-10", true));
        db.fold(status("i2", InstallmentStatus.PAID, "70.00", payment("p1", "70.00", "2024-04-01T00:00:00")));

        ReconciliationReport march = db.report("2024-03-01", "2024-03-31");

        // Without any provider time, the status is dated by its recording day (2026-06-30): outside March.
        assertThat(march.breaks()).isEmpty();
        assertThat(db.report("2024-04-01", "2024-04-01").breaks()).extracting(ReconciliationBreak::key,
                ReconciliationBreak::difference).containsExactly(tuple("i2", $("10.00")));
        assertThat(db.report("2026-06-30", "2026-06-30").breaks()).extracting(ReconciliationBreak::key,
                ReconciliationBreak::difference).containsExactly(tuple("i1", $("80.00")));
    }

    @Test
    void rule2AnInstallmentWithoutAKnownTotalIsNotJudged() {
        db.fold(status("i1", InstallmentStatus.PAID, "1009.68", payment("p1", "1009.68", "2024-03-08T10:00:00")));

        assertThat(db.report("2024-03-01", "2024-03-31").breaks()).isEmpty();
    }

    // Rule 3: notified as paid, not settled after N days

    @Test
    void rule3ANoticeWithoutSettlementAtLeastNDaysOldAtTheEndOfThePeriodIsABreakWithItsAge() {
        db.fold(notice("s10", "70.00", "2024-03-10T09:00:00"));
        db.fold(notaryNotice("s11", "30.00", "2024-03-11T09:00:00"));
        db.fold(notice("s12", "10.00", "2024-03-05T09:00:00"));
        db.fold(settled("s12", "10.00", "2024-03-07T09:00:00"));
        db.fold(notice("s13", "20.00", "2024-03-08T09:00:00"));
        db.fold(settled("s13", "20.00", "2024-03-13T09:00:00"));
        db.fold(notice("s14", "5.00", "2024-03-09T09:00:00"));
        db.fold(writtenOff("s14", "2024-03-10T09:00:00"));
        db.fold(notice("s15", "1.00", "2024-02-29T09:00:00"));

        ReconciliationReport report = db.report("2024-03-01", "2024-03-12", 2);

        // s12's settlement has no installment expecting it (rule 1); rule 3 lists these:
        assertThat(breaks(report, "slip_notified_unsettled")).containsExactly(
                new ReconciliationBreak(3, "slip_notified_unsettled", "bank-slips", "s13", "payment_notice",
                        day("2024-03-08"), $("20.00"), $("0"), $("20.00"), null, null, null,
                        "payment_notice not settled within 2 days (slip status: paid)", 4),
                new ReconciliationBreak(3, "slip_notified_unsettled", "bank-slips", "s14", "payment_notice",
                        day("2024-03-09"), $("5.00"), $("0"), $("5.00"), null, null, null,
                        "payment_notice not settled within 2 days (slip status: written_off)", 3),
                new ReconciliationBreak(3, "slip_notified_unsettled", "bank-slips", "s10", "payment_notice",
                        day("2024-03-10"), $("70.00"), $("0"), $("70.00"), null, null, null,
                        "payment_notice not settled within 2 days (slip status: payment_notice)", 2));
        assertThat(summary(report, "slip_notified_unsettled")).isEqualTo(new CategorySummary(3,
                "slip_notified_unsettled", 3, $("95.00"), $("0"), $("95.00"), null, null, null));
    }

    @Test
    void rule3TheNumberOfDaysIsASetting() {
        db.fold(notice("s10", "70.00", "2024-03-10T09:00:00"));
        db.fold(notaryNotice("s11", "30.00", "2024-03-11T09:00:00"));

        assertThat(db.report("2024-03-01", "2024-03-12", 1).breaks()).extracting(ReconciliationBreak::key,
                ReconciliationBreak::reference, ReconciliationBreak::ageInDays)
                .containsExactly(tuple("s10", "payment_notice", 2L), tuple("s11", "notary_office_payment_notice", 1L));
        assertThat(db.report("2024-03-01", "2024-03-12", 3).breaks()).isEmpty();
        assertThat(db.report("2024-03-01", "2024-03-12", 0).breaks()).hasSize(2);
    }

    @Test
    void rule3TheEarliestNoticeDatesTheSlip() {
        db.fold(notaryNotice("s1", "30.00", "2024-03-11T09:00:00"));
        db.fold(notice("s1", "31.00", "2024-03-09T09:00:00"));

        assertThat(db.report("2024-03-01", "2024-03-12").breaks()).extracting(ReconciliationBreak::effectiveDate,
                ReconciliationBreak::expected, ReconciliationBreak::reference)
                .containsExactly(tuple(day("2024-03-09"), $("31.00"), "payment_notice"));
    }

    // Rule 4: DDA slips

    @Test
    void rule4APaidDdaSlipForAnotherAmountAndAPartiallyPaidOneWithItsOpenBalance() {
        Instant recorded = Instant.parse("2024-03-10T15:00:00Z");
        db.fold(dda("d1", "f1", DdaBankSlipStatus.PAID, "1200", "1200.00", DdaBankSlipStatus.PAID, true, "0",
                recorded));
        db.fold(dda("d2", "f2", DdaBankSlipStatus.PAID, "1200", "1150.50", DdaBankSlipStatus.PAID, true, "0",
                recorded));
        db.fold(dda("d3", "f3", DdaBankSlipStatus.PARTIALLY_PAID, "1000.00", "300.00",
                DdaBankSlipStatus.PARTIALLY_PAID, true, "300.00", recorded));
        db.fold(dda("d3", "f4", DdaBankSlipStatus.PARTIALLY_PAID, "1000.00", "200.00",
                DdaBankSlipStatus.PARTIALLY_PAID, false, "500.00", recorded.plusSeconds(60)));
        db.fold(dda("d4", "f5", DdaBankSlipStatus.PAID, "10", null, DdaBankSlipStatus.PAID, true, "0",
                Instant.parse("2024-03-11T03:00:00Z")));

        ReconciliationReport report = db.report("2024-03-10", "2024-03-10");

        assertThat(report.breaks()).containsExactly(
                new ReconciliationBreak(4, "dda_paid_mismatch", "dda-bank-slips", "d2", null, day("2024-03-10"),
                        $("1200"), $("1150.50"), $("49.50"), null, null, null,
                        "paid: total_payment_amount differs from total_amount", 0),
                new ReconciliationBreak(4, "dda_partially_paid_open", "dda-bank-slips", "d3", null, day("2024-03-10"),
                        $("1000.00"), $("500.00"), $("500.00"), null, null, null, "partially paid: open balance", 0));
        assertThat(db.report("2024-03-11", "2024-03-11").breaks()).containsExactly(new ReconciliationBreak(4,
                "dda_paid_mismatch", "dda-bank-slips", "d4", null, day("2024-03-11"), $("10"), null, null, null, null,
                null, "paid without total_payment_amount", 0));
    }

    // Rule 5: conciliation batches

    @Test
    void rule5WhatIsNotConciliatedPerBatchAndPerReferenceDate() {
        db.fold(batch("bA", "100.10", "40", 3, 1, "2024-03-12", "2024-03-11T10:00:00"));
        db.fold(batch("bB", "50", "50.00", 2, 2, "2024-03-12", "2024-03-11T10:00:00"));
        db.fold(batch("bC", "10", "0", 1, 0, "2024-03-20", "2024-03-11T10:00:00"));
        db.fold(batch("bD", "10", "0", 1, 0, "2024-04-01", "2024-03-11T10:00:00"));

        ReconciliationReport report = db.report("2024-03-12", "2024-03-31");

        assertThat(report.breaks()).containsExactly(
                new ReconciliationBreak(5, "batch_not_conciliated", "conciliation-batches", "bA", null,
                        day("2024-03-12"), $("100.10"), $("40"), $("60.10"), 3L, 1L, 2L, "not yet conciliated", 19),
                new ReconciliationBreak(5, "batch_not_conciliated", "conciliation-batches", "bC", null,
                        day("2024-03-20"), $("10"), $("0"), $("10"), 1L, 0L, 1L, "not yet conciliated", 11));
        assertThat(report.batchesByReferenceDate()).containsExactly(
                new ReferenceDateSubtotal(day("2024-03-12"), 2, $("150.10"), $("90.00"), $("60.10"), 5, 3, 2, 19),
                new ReferenceDateSubtotal(day("2024-03-20"), 1, $("10"), $("0"), $("10"), 1, 0, 1, 11));
        assertThat(summary(report, "batch_not_conciliated")).isEqualTo(new CategorySummary(5, "batch_not_conciliated",
                2, $("110.10"), $("40"), $("70.10"), 4L, 1L, 3L));
    }

    @Test
    void rule5OnlyTheIncreaseOfTheCurrentConciliatedAmountIsEnteredAndAResendAddsNothing() {
        EventMessage<?> created = db.fold(batch("bA", "100.10", "40", 3, 1, "2024-03-12", "2024-03-11T10:00:00"));
        long createdAt = db.position();
        db.fold(batchUpdate("bA", "100.10", "70.00", 3, 2, "2024-03-12", "2024-03-12T10:00:00", true));
        db.fold(batchUpdate("bA", "100.10", "55", 3, 2, "2024-03-12", "2024-03-11T12:00:00", false));
        db.foldAgain(created, createdAt);

        assertThat(db.entries("2024-03-01", "2024-03-31").entries())
                .extracting(LedgerEntry::kind, LedgerEntry::amount, LedgerEntry::effectiveDate)
                .containsExactly(tuple("batch_conciliated", $("40"), day("2024-03-11")),
                        tuple("batch_conciliated", $("30.00"), day("2024-03-12")));
        assertThat(db.report("2024-03-12", "2024-03-12").breaks()).extracting(ReconciliationBreak::difference,
                ReconciliationBreak::differenceCount).containsExactly(tuple($("30.10"), 1L));
    }

    // Rule 6: debts

    @Test
    void rule6RefusedDisbursementsWithAmountAndReasonAndACollateralThatDoesNotAddUp() {
        db.fold(tedRefused("debt1", "483.60", "Agência, \"Conta\"\nInválida", "2024-03-05T14:36:05"));
        db.fold(pixRefused("debt2", "CPF/CNPJ do usuário recebedor não é compatível", "2024-03-06T10:00:00"));
        db.fold(collateral("debt3", "1500", "2024-03-07T02:15:01", true, "500", "500", "400.00"));
        db.fold(collateral("debt4", "1500", "2024-03-07T02:15:01", true, "500", "500", "500"));
        db.fold(collateral("debt5", "1500", "2024-03-07T02:15:01", true, "1"));
        db.fold(collateral("debt5", "1500", "2024-03-08T02:15:01", true, "1000", "500"));
        db.fold(collateral("debt5", "1500", "2024-03-06T02:15:01", false, "2"));

        ReconciliationReport report = db.report("2024-03-01", "2024-03-31");

        assertThat(report.breaks()).containsExactly(
                new ReconciliationBreak(6, "disbursement_refused", "debts", "debt1", "tx-debt1", day("2024-03-05"),
                        $("483.60"), $("0"), $("483.60"), null, null, null,
                        "ted_refusal (agencia_conta_invalida): Agência, \"Conta\"\nInválida", 26),
                new ReconciliationBreak(6, "disbursement_refused", "debts", "debt2", null, day("2024-03-06"),
                        null, $("0"), null, null, null, null,
                        "pix_refusal (invalid_document_number): CPF/CNPJ do usuário recebedor não é compatível", 25),
                new ReconciliationBreak(6, "collateral_locks_mismatch", "debts", "debt3", null, day("2024-03-07"),
                        $("1500"), $("1400.00"), $("100.00"), null, null, null,
                        "the funds' lock_gross_amount do not add up to total_gross_amount_lock", 24));
        assertThat(summary(report, "disbursement_refused")).isEqualTo(new CategorySummary(6, "disbursement_refused",
                2, $("483.60"), $("0"), $("483.60"), null, null, null));
    }

    // The whole summary and the ledger

    @Test
    void theSummaryListsEveryCategoryInRuleOrderWithZerosWhereThereIsNoBreak() {
        db.fold(settled("s9", "551.5", "2024-03-06T10:00:00"));

        assertThat(db.report("2024-03-01", "2024-03-31").summary())
                .extracting(CategorySummary::rule, CategorySummary::category, CategorySummary::breaks,
                        CategorySummary::difference)
                .containsExactly(
                        tuple(1, "installment_slip_mismatch", 0L, $("0")),
                        tuple(1, "installment_slip_unsettled", 0L, $("0")),
                        tuple(1, "unexpected_settlement", 1L, $("-551.5")),
                        tuple(2, "installment_paid_shortfall", 0L, $("0")),
                        tuple(2, "installment_overpaid", 0L, $("0")),
                        tuple(3, "slip_notified_unsettled", 0L, $("0")),
                        tuple(4, "dda_paid_mismatch", 0L, $("0")),
                        tuple(4, "dda_partially_paid_open", 0L, $("0")),
                        tuple(5, "batch_not_conciliated", 0L, $("0")),
                        tuple(6, "disbursement_refused", 0L, $("0")),
                        tuple(6, "collateral_locks_mismatch", 0L, $("0")),
                        tuple(7, "cancellation_unconfirmed", 0L, $("0")));
    }

    @Test
    void theLedgerListsEveryMonetaryFactOfThePeriodByEffectiveDateThenPosition() {
        db.fold(settled("s1", "90.00", "2024-03-10T11:00:00"), "r-1");
        db.fold(notice("s1", "90.00", "2024-03-09T11:00:00"), "r-2");
        db.fold(writtenOff("s2", "2024-03-09T11:00:00"), "r-3");
        db.fold(status("i1", InstallmentStatus.PAID, "150.00", payment("p1", "100.00", "2024-03-10T08:00:00"),
                payment("p2", "50.00", null)), "r-4");
        db.fold(status("i1", InstallmentStatus.PAID, "170.00", payment("p2", "70.00", "2024-03-11T08:00:00")), "r-5");
        db.fold(settled("s3", "1.00", "2024-04-01T00:00:00"), "r-6");

        List<LedgerEntry> entries = db.entries("2024-03-09", "2024-03-31").entries();

        assertThat(entries).extracting(LedgerEntry::effectiveDate, LedgerEntry::entity, LedgerEntry::key,
                        LedgerEntry::kind, LedgerEntry::amount, LedgerEntry::effectiveSource, LedgerEntry::reference,
                        LedgerEntry::receipt, LedgerEntry::position, LedgerEntry::ordinal)
                .containsExactly(
                        tuple(day("2024-03-09"), "bank-slips", "s1", "slip_payment_notified", $("90.00"), "provider",
                                null, "r-2", 2L, 0),
                        tuple(day("2024-03-10"), "bank-slips", "s1", "slip_settled", $("90.00"), "provider", null,
                                "r-1", 1L, 0),
                        tuple(day("2024-03-10"), "installments", "i1", "installment_payment", $("100.00"), "provider",
                                "p1", "r-4", 4L, 0),
                        // p2 had no paid_at: dated by the status change's latest provider time.
                        tuple(day("2024-03-10"), "installments", "i1", "installment_payment", $("50.00"), "provider",
                                "p2", "r-4", 4L, 1),
                        // p2 reported again with 70.00: only the difference is entered.
                        tuple(day("2024-03-11"), "installments", "i1", "installment_payment_revised", $("20.00"),
                                "provider", "p2", "r-5", 5L, 0));
        assertThat(entries.get(0).effectiveAt()).isEqualTo(sp("2024-03-09T11:00:00"));
        assertThat(entries.get(0).recordedAt()).isEqualTo(FinanceEvents.RECORDED);
        assertThat(entries.get(0).eventId()).isNotBlank();
    }

    @Test
    void foldingTheSameEventsAgainChangesNothingAndAResetThenReplayRebuildsTheSameRows() {
        List<EventMessage<?>> messages = new ArrayList<>();
        messages.add(db.fold(billing("i1", "s1", "100.00", "2024-03-15", true)));
        messages.add(db.fold(notice("s1", "90.00", "2024-03-09T11:00:00")));
        messages.add(db.fold(settled("s1", "90.00", "2024-03-10T11:00:00")));
        messages.add(db.fold(status("i1", InstallmentStatus.PAID, "90.00",
                payment("p1", "90.00", "2024-03-10T08:00:00"))));
        messages.add(db.fold(batch("bA", "100.10", "40", 3, 1, "2024-03-12", "2024-03-11T10:00:00")));
        messages.add(db.fold(tedRefused("debt1", "483.60", "x", "2024-03-05T14:36:05")));
        messages.add(db.fold(collateral("debt3", "1500", "2024-03-07T02:15:01", true, "500")));
        messages.add(db.fold(dda("d3", "f3", DdaBankSlipStatus.PARTIALLY_PAID, "1000.00", "300.00",
                DdaBankSlipStatus.PARTIALLY_PAID, true, "300.00", Instant.parse("2024-03-10T15:00:00Z"))));
        String before = dump();
        ReconciliationReport report = db.report("2024-03-01", "2024-03-31");

        for (int i = 0; i < messages.size(); i++) {
            db.foldAgain(messages.get(i), i + 1);
        }
        assertThat(dump()).isEqualTo(before);

        db.reset();
        assertThat(db.entries("2000-01-01", "2100-01-01").entries()).isEmpty();
        assertThat(db.report("2024-03-01", "2024-03-31").breaks()).isEmpty();
        for (int i = 0; i < messages.size(); i++) {
            db.foldAgain(messages.get(i), i + 1);
        }
        assertThat(dump()).isEqualTo(before);
        assertThat(db.report("2024-03-01", "2024-03-31")).isEqualTo(report);
    }

    /** Every finance table as text, in a fixed order. */
    String dump() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("ledger_entry ORDER BY position, ordinal", "fin_bank_slip ORDER BY 1",
                "fin_installment ORDER BY 1", "fin_dda_slip ORDER BY 1", "fin_batch ORDER BY 1",
                "fin_collateral ORDER BY 1")) {
            all.append(table).append('\n');
            db.jdbc.sql("SELECT t::text FROM " + table.replace(" ORDER", " t ORDER")).query(String.class).list()
                    .forEach(row -> all.append(row).append('\n'));
        }
        return all.toString();
    }
}
