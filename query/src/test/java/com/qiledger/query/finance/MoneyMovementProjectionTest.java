package com.qiledger.query.finance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipRegistered;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchCreated;
import com.qiledger.command.messages.conciliation.ConciliationBatchFiguresReported;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBankSlipUpdated;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.CollateralCheck;
import com.qiledger.command.messages.debt.CollateralReported;
import com.qiledger.command.messages.debt.DebtStatus;
import com.qiledger.command.messages.debt.InvestmentFund;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;

/**
 * Events of every family folded into the money-movement ledger ({@code ledger_entry}) and the figures
 * the reconciliation joins ({@code fin_*}), and what {@link FinanceQueries} answers from them.
 */
class MoneyMovementProjectionTest {

    static final String[] TABLES = {"ledger_entry", "fin_bank_slip", "fin_installment", "fin_dda_slip",
        "fin_batch", "fin_collateral"};
    static final LocalDate MARCH_1 = LocalDate.parse("2026-03-01");
    static final LocalDate MARCH_31 = LocalDate.parse("2026-03-31");

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final MoneyMovementProjection projection = new MoneyMovementProjection(db.jdbc());
    private final FinanceQueries queries = new FinanceQueries(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    /** A São Paulo wall-clock time in March 2026, as the provider writes its zone-less times. */
    static Instant march(int day, int hour) {
        return LocalDateTime.of(2026, 3, day, hour, 0).atZone(MoneyMovements.ZONE).toInstant();
    }

    static BankSlipFacts facts(String amount) {
        return new BankSlipFacts("1", null, null, null, amount == null ? null : new SlipPayment(new BigDecimal(amount),
                null, null, null, null, null, null, null, null, null, null, null, null, null));
    }

    static BankSlipPaymentNotified notice(String key, int day, String amount) {
        return new BankSlipPaymentNotified(key, march(day, 10), march(day, 11), facts(amount),
                BankSlipStatus.PAYMENT_NOTICE);
    }

    static BankSlipPaid paid(String key, int day, String amount) {
        return new BankSlipPaid(key, march(day, 10), march(day, 11), facts(amount), BankSlipStatus.PAID);
    }

    static InstallmentBillingIssued billing(String key, String slip, String total) {
        return new InstallmentBillingIssued(key, "debt-1", march(1, 9), new InstallmentBilling(null, null, null,
                null, null, slip, LocalDate.parse("2026-03-10"), new BigDecimal(total)), true);
    }

    static InstallmentStatusChanged payments(String key, String paidAfter, InstallmentPayment... payments) {
        var report = new InstallmentStatusReport(InstallmentStatus.PAID_PARTIAL, InstallmentStatus.PAID_PARTIAL,
                false, null, null, List.of(), List.of(payments));
        return new InstallmentStatusChanged(key, "debt-1", march(12, 10), march(12, 11), report, true,
                InstallmentStatus.PAID_PARTIAL, false, List.of(), List.of(payments), new BigDecimal(paidAfter));
    }

    static BatchFigures figures(String conciliated) {
        return new BatchFigures("open", "fixed_amount", "acc", new BigDecimal("300.00"), new BigDecimal(conciliated),
                3, 0, LocalDate.parse("2026-03-20"), march(20, 8));
    }

    static ConciliationBatchFiguresReported batchReport(int day, String conciliated, boolean current) {
        return new ConciliationBatchFiguresReported("b1", "update", march(day, 10), march(day, 11),
                figures(conciliated), current);
    }

    List<LedgerEntry> march() {
        return queries.handle(new FindLedgerEntries(MARCH_1, MARCH_31)).entries();
    }

    @Test
    void aSettlementIsEnteredOnItsProviderDayAndTheLedgerAnswersIt() {
        TrackedEventMessage<?> message = projector.fold(9, paid("s1", 10, "100.00"));

        assertThat(march()).singleElement().satisfies(entry -> {
            assertThat(entry.effectiveDate()).isEqualTo(LocalDate.parse("2026-03-10"));
            assertThat(entry.entity()).isEqualTo("bank-slips");
            assertThat(entry.key()).isEqualTo("s1");
            assertThat(entry.kind()).isEqualTo("slip_settled");
            assertThat(entry.amount()).isEqualByComparingTo("100.00");
            assertThat(entry.effectiveSource()).isEqualTo("provider");
            assertThat(entry.effectiveAt()).isEqualTo(march(10, 10));
            assertThat(entry.recordedAt()).isEqualTo(march(10, 11));
            assertThat(entry.receipt()).isEqualTo("receipt-9");
            assertThat(entry.eventId()).isEqualTo(message.getIdentifier());
            assertThat(entry.position()).isEqualTo(9);
            assertThat(entry.ordinal()).isZero();
        });
        assertThat(queries.handle(new FindLedgerEntries(MARCH_1, LocalDate.parse("2026-03-09"))).entries()).isEmpty();
    }

    @Test
    void theEarliestNoticeAndTheLatestSettlementStandForTheSlip() {
        projector.fold(1, notice("s1", 5, "100.00"));
        projector.fold(2, notice("s1", 3, "99.00"));
        projector.fold(3, notice("s1", 7, "98.00"));
        projector.fold(4, paid("s1", 10, "100.00"));
        projector.fold(5, paid("s1", 8, "97.00"));

        assertThat(db.value("SELECT notified_date || ' ' || notified_amount || ' ' || settled_date || ' '"
                + " || settled_amount || ' ' || status || ' ' || position FROM fin_bank_slip", String.class))
                .isEqualTo("2026-03-03 99.00 2026-03-10 100.00 paid 5");
        assertThat(march()).extracting(LedgerEntry::kind).containsExactly("slip_payment_notified",
                "slip_payment_notified", "slip_payment_notified", "slip_settled", "slip_settled");
    }

    @Test
    void aPaymentReportedAgainWithAnotherAmountIsEnteredAsItsRevision() {
        projector.fold(1, billing("i1", "s1", "100.00"));
        projector.fold(2, payments("i1", "40.00", new InstallmentPayment("p1", march(12, 9), new BigDecimal("40.00"),
                "pix")));
        projector.fold(3, payments("i1", "45.00", new InstallmentPayment("p1", march(12, 9), new BigDecimal("45.00"),
                "pix")));

        assertThat(march()).extracting(LedgerEntry::kind, LedgerEntry::amount, LedgerEntry::reference)
                .containsExactly(tuple("installment_payment", new BigDecimal("40.00"), "p1"),
                        tuple("installment_payment_revised", new BigDecimal("5.00"), "p1"));
        assertThat(db.value("SELECT status || ' ' || paid_amount || ' ' || bank_slip_key || ' ' || total_amount"
                + " || ' ' || expected_date FROM fin_installment", String.class))
                .isEqualTo("paid_partial 45.00 s1 100.00 2026-03-10");
    }

    @Test
    void aBatchIsEnteredByTheChangesOfItsCurrentConciliatedAmount() {
        projector.fold(1, new ConciliationBatchCreated("b1", march(2, 10), march(2, 11), figures("0.00"), true));
        projector.fold(2, batchReport(3, "100.00", true));
        projector.fold(3, batchReport(4, "250.00", true));
        projector.fold(4, batchReport(1, "50.00", false));

        assertThat(march()).extracting(LedgerEntry::kind, LedgerEntry::amount, LedgerEntry::position)
                .containsExactly(tuple("batch_conciliated", new BigDecimal("100.00"), 2L),
                        tuple("batch_conciliated", new BigDecimal("150.00"), 3L));
        assertThat(db.value("SELECT conciliated_amount || ' ' || position FROM fin_batch", String.class))
                .isEqualTo("250.00 4");
    }

    @Test
    void aDdaPaymentAndACollateralAreEnteredAndTheirFiguresKept() {
        projector.fold(1, new DdaBankSlipUpdated("d1", "baas.dda.bankslip.update", march(15, 12),
                MoneyMovementsTest.snapshot(DdaBankSlipStatus.PAID, "500.00", "490.00"), "f".repeat(64), List.of(),
                DdaBankSlipStatus.PAID, true, BigDecimal.ZERO));
        projector.fold(2, new CollateralReported("debt-1", march(16, 10), march(16, 11), new Collateral(
                "private_pension", null, new BigDecimal("1000.00"), List.of(new InvestmentFund(null, null, null, null,
                        null, null, new BigDecimal("900.00")))), new CollateralCheck(new BigDecimal("900.00"),
                List.of(CollateralCheck.LOCKS_MISMATCH)), true, DebtStatus.COLLATERAL_REPORTED));

        assertThat(march()).extracting(LedgerEntry::kind, LedgerEntry::amount, LedgerEntry::effectiveSource)
                .containsExactly(tuple("dda_payment", new BigDecimal("490.00"), "recorded"),
                        tuple("collateral_locked", new BigDecimal("1000.00"), "provider"));
        assertThat(db.value("SELECT status || ' ' || total_amount || ' ' || total_payment_amount || ' '"
                + " || snapshot_date FROM fin_dda_slip", String.class)).isEqualTo("paid 500.00 490.00 2026-03-15");
        assertThat(db.value("SELECT total_amount || ' ' || funds_amount || ' ' || collateral_date FROM fin_collateral",
                String.class)).isEqualTo("1000.00 900.00 2026-03-16");
    }

    @Test
    void aRedeliveryAndAnEventAtOrBelowTheRowsPositionChangeNothing() {
        List<TrackedEventMessage<?>> messages = new ArrayList<>();
        messages.add(projector.fold(5, billing("i1", "s1", "100.00")));
        messages.add(projector.fold(6, paid("s1", 10, "90.00")));
        messages.add(projector.fold(7, batchReport(3, "100.00", true)));
        List<List<String>> before = db.rows(TABLES);

        messages.forEach(projector::handle);
        projector.fold(4, billing("i1", "s2", "1.00"));
        projector.fold(6, new BankSlipRegistered("s1", march(1, 1), march(1, 2), facts(null),
                BankSlipStatus.REGISTERED));
        projector.fold(7, batchReport(4, "300.00", true));

        assertThat(db.rows(TABLES)).isEqualTo(before);
    }

    @Test
    void theReconciliationReportFindsTheSlipSettledForAnotherAmount() {
        projector.fold(1, billing("i1", "s1", "100.00"));
        projector.fold(2, paid("s1", 10, "90.00"));

        ReconciliationReport report = queries.handle(new FindReconciliationReport(MARCH_1, MARCH_31, 3));

        assertThat(report.breaks()).singleElement().satisfies(line -> {
            assertThat(line.category()).isEqualTo("installment_slip_mismatch");
            assertThat(line.key()).isEqualTo("i1");
            assertThat(line.reference()).isEqualTo("s1");
            assertThat(line.effectiveDate()).isEqualTo(LocalDate.parse("2026-03-10"));
            assertThat(line.expected()).isEqualByComparingTo("100.00");
            assertThat(line.actual()).isEqualByComparingTo("90.00");
            assertThat(line.difference()).isEqualByComparingTo("10.00");
            assertThat(line.ageInDays()).isEqualTo(21);
        });
        assertThat(report.summary()).hasSize(BreakCategory.values().length)
                .filteredOn(line -> line.breaks() > 0).extracting(CategorySummary::category)
                .containsExactly("installment_slip_mismatch");
    }

    @Test
    void aBatchedReplayAfterTheResetWritesTheSameRows() {
        List<TrackedEventMessage<?>> messages = List.of(
                projector.fold(1, billing("i1", "s1", "100.00")),
                projector.fold(2, notice("s1", 5, "100.00")),
                projector.fold(3, payments("i1", "40.00", new InstallmentPayment("p1", null, new BigDecimal("40.00"),
                        "pix"))),
                projector.fold(4, payments("i1", "45.00", new InstallmentPayment("p1", null, new BigDecimal("45.00"),
                        "pix"))),
                projector.fold(5, paid("s1", 10, "100.00")),
                projector.fold(6, new ConciliationBatchCreated("b1", march(2, 10), march(2, 11), figures("0.00"),
                        true)),
                projector.fold(7, batchReport(3, "100.00", true)));
        List<List<String>> folded = db.rows(TABLES);

        projector.reset();
        assertThat(db.rows(TABLES)).allSatisfy(rows -> assertThat(rows).isEmpty());
        projector.foldBatched(() -> messages.forEach(projector::handle));

        assertThat(db.rows(TABLES)).isEqualTo(folded);
    }

    @Test
    void aBatchedRunWritesItsRowsAsColumnsEvenWhenAColumnHasOnlyNulls() {
        // settlements alone: no notice columns in fin_bank_slip, no reference or detail in ledger_entry
        List<String> sent = projector.foldBatchedStatements(() -> {
            projector.fold(1, paid("s1", 10, "100.00"));
            projector.fold(2, paid("s2", 11, "200.00"));
        });

        for (String table : List.of("INSERT INTO ledger_entry ", "INSERT INTO fin_bank_slip ")) {
            assertThat(sent).filteredOn(sql -> sql.startsWith(table)).as(table).isNotEmpty()
                    .allSatisfy(sql -> assertThat(sql).contains("FROM unnest(").doesNotContain("VALUES"));
        }
        assertThat(march()).extracting(LedgerEntry::amount).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("100.00"), new BigDecimal("200.00"));
        assertThat(db.value("SELECT count(*) FROM fin_bank_slip WHERE notice_kind IS NULL AND notified_at IS NULL"
                + " AND settled_amount IS NOT NULL", Long.class)).isEqualTo(2);
    }
}
