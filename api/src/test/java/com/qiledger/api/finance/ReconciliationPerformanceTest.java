package com.qiledger.api.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.query.finance.CategorySummary;
import com.qiledger.query.finance.ReconciliationReport;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The report for a day with 100,000 bank slips (and their installments, 50,000 partially paid DDA
 * slips, batches, refusals), among 300,000 slips of other days, has exactly the right figures: the
 * rules are set-based SQL over indexed tables. The read model is filled by SQL (folding 800,000 events
 * one by one would test the projection's speed, not the report's). Its time is printed, not asserted:
 * the 2 s target of issue 6 is checked by the benchmark ({@code bench/run.sh}, 1.15 to 1.51 s for such a
 * day), because a timed test on this shared 2-core machine fails on noise (it took 2,017 ms once in CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationPerformanceTest {

    FinanceDatabase db;

    @BeforeAll
    void fill() {
        db = FinanceDatabase.start("finance-performance");
        // Day 2024-05-02: slip-1 .. slip-100000 settled; every 100th for 99.00 instead of 100.00.
        // Other days: noise-1 .. noise-300000, settled 100.00 as expected, spread over 300 days after it.
        db.jdbc.sql("""
                INSERT INTO fin_bank_slip (bank_slip_key, status, notice_kind, notified_at, notified_date,
                    notified_amount, settled_at, settled_date, settled_amount, position)
                SELECT 'slip-' || g, 'paid', 'payment_notice', timestamptz '2024-04-30 12:00:00-03', date '2024-04-30',
                    100.00, timestamptz '2024-05-02 12:00:00-03', date '2024-05-02',
                    CASE WHEN g % 100 = 0 THEN 99.00 ELSE 100.00 END, g
                FROM generate_series(1, 100000) g
                UNION ALL
                SELECT 'noise-' || g, 'paid', NULL, NULL, NULL, NULL, timestamptz '2024-05-03 12:00:00-03' + (g % 300)
                    * interval '1 day', date '2024-05-03' + (g % 300), 100.00, 100000 + g
                FROM generate_series(1, 300000) g
                """).update();
        // Installments expect slip-1 .. slip-99000 (the last 1,000 settlements are unexpected); every
        // 1,000th is paid with a shortfall.
        db.jdbc.sql("""
                INSERT INTO fin_installment (installment_key, debt_key, status, status_date, paid_amount,
                    last_payment_date, bank_slip_key, total_amount, due_date, expected_date, position)
                SELECT 'inst-' || g, 'debt', 'paid', date '2024-05-02', CASE WHEN g % 1000 = 0 THEN 90.00 ELSE 100.00 END,
                    date '2024-05-02', 'slip-' || g, 100.00, date '2024-05-02', date '2024-05-02', g
                FROM generate_series(1, 99000) g
                UNION ALL
                SELECT 'noise-inst-' || g, 'debt', 'paid', date '2024-05-03' + (g % 300), 100.00,
                    date '2024-05-03' + (g % 300), 'noise-' || g, 100.00, date '2024-05-03' + (g % 300),
                    date '2024-05-03' + (g % 300), 100000 + g
                FROM generate_series(1, 300000) g
                """).update();
        db.jdbc.sql("""
                INSERT INTO fin_dda_slip (slip_key, status, total_amount, total_payment_amount, partially_paid_amount,
                    snapshot_date, position)
                SELECT 'dda-' || g, CASE WHEN g <= 50000 THEN 'partially_paid' ELSE 'paid' END, 1000.00, 400.00,
                    400.00, CASE WHEN g <= 50000 THEN date '2024-05-02' ELSE date '2024-05-03' + (g % 300) END, g
                FROM generate_series(1, 150000) g
                """).update();
        db.jdbc.sql("""
                INSERT INTO fin_batch (batch_key, reference_date, figures_date, total_amount, conciliated_amount,
                    total_orders, conciliated_orders, position)
                SELECT 'batch-' || g, date '2024-05-02' + (g % 3), date '2024-05-01', 10.00, 5.00, 2, 1, g
                FROM generate_series(1, 3000) g
                """).update();
        db.jdbc.sql("""
                INSERT INTO ledger_entry (position, ordinal, event_id, entity, entity_key, kind, amount, effective_date,
                    effective_source, effective_at, recorded_at, receipt_id, reference, detail)
                SELECT g, 0, 'event-' || g, 'bank-slips', 'slip-' || g, 'slip_settled', 100.00, date '2024-05-02',
                    'provider', timestamptz '2024-05-02 12:00:00-03', now(), NULL, NULL, 'paid'
                FROM generate_series(1, 100000) g
                UNION ALL
                SELECT 200000 + g, 0, 'event-r-' || g, 'debts', 'debt-' || g, 'disbursement_refused', 10.00,
                    date '2024-05-02' + (g % 2), 'provider', timestamptz '2024-05-02 12:00:00-03', now(), NULL,
                    'tx-' || g, 'ted_refusal (x): y'
                FROM generate_series(1, 1000) g
                """).update();
        db.jdbc.sql("ANALYZE").update();
    }

    @AfterAll
    void stop() {
        db.close();
    }

    @Test
    void theReportOfADayWithOneHundredThousandSlipsAmongThreeHundredThousandHasTheRightFigures() {
        long started = System.nanoTime();
        ReconciliationReport report = db.report("2024-05-02", "2024-05-02");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("Reconciliation report of a day with 100,000 slips: " + report.breaks().size()
                + " breaks in " + took.toMillis() + " ms");

        assertThat(report.summary()).extracting(CategorySummary::category, CategorySummary::breaks,
                        CategorySummary::difference)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("installment_slip_mismatch", 990L, new BigDecimal("990.00")),
                        org.assertj.core.groups.Tuple.tuple("installment_slip_unsettled", 0L, BigDecimal.ZERO),
                        org.assertj.core.groups.Tuple.tuple("unexpected_settlement", 1000L,
                                new BigDecimal("-99990.00")),
                        org.assertj.core.groups.Tuple.tuple("installment_paid_shortfall", 99L, new BigDecimal("990.00")),
                        org.assertj.core.groups.Tuple.tuple("installment_overpaid", 0L, BigDecimal.ZERO),
                        org.assertj.core.groups.Tuple.tuple("slip_notified_unsettled", 0L, BigDecimal.ZERO),
                        org.assertj.core.groups.Tuple.tuple("dda_paid_mismatch", 0L, BigDecimal.ZERO),
                        org.assertj.core.groups.Tuple.tuple("dda_partially_paid_open", 50000L,
                                new BigDecimal("30000000.00")),
                        org.assertj.core.groups.Tuple.tuple("batch_not_conciliated", 1000L, new BigDecimal("5000.00")),
                        org.assertj.core.groups.Tuple.tuple("disbursement_refused", 500L, new BigDecimal("5000.00")),
                        org.assertj.core.groups.Tuple.tuple("collateral_locks_mismatch", 0L, BigDecimal.ZERO),
                        org.assertj.core.groups.Tuple.tuple("cancellation_unconfirmed", 0L, BigDecimal.ZERO));
    }
}
