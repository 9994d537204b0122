package com.qiledger.query.finance;

import static com.qiledger.query.support.Sql.instant;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Answers the finance queries from the tables of {@link MoneyMovementProjection}: the ledger entries of
 * a period, and the reconciliation report, computed by set-based SQL over indexed tables (one
 * statement for every break of every rule, one for the batches per reference date), never row by row.
 *
 * <p><b>Which date places an item in the period</b> (both ends included), per category: see
 * {@link BreakCategory} and docs/finance.md. In short: a settlement by its provider date, an expected
 * slip without settlement by the billing's due date, installment payments by the latest payment's date
 * (else the current status's date), a payment notice by its date, a DDA slip by the recording day of
 * its current snapshot, a batch by its reference date, a refusal by its refusal time, a collateral by
 * its event time. "Settled" means settled on or before {@code to}: a report of a past period says what
 * was true at its end, whatever happened later. Ages are counted to {@code to}, never to the day the
 * report is asked, so the body is a pure function of the events and the period.
 */
@Component
public class FinanceQueries {

    private static final String PAID_STATUSES = "('paid', 'paid_early', 'paid_overdue')";

    /** Every break of every rule, one statement; {@code rank} is the category's ordinal + 1. */
    private static final String BREAKS = """
            WITH p AS (SELECT CAST(:from AS date) AS f, CAST(:to AS date) AS t, CAST(:cutoff AS date) AS cutoff,
                              CAST(:days AS integer) AS days, CAST(:cancelCutoff AS date) AS cancel_cutoff,
                              CAST(:cancelDays AS integer) AS cancel_days)
            SELECT b.*, (p.t - b.effective_date) AS age_in_days FROM p, (
                SELECT 1 AS rank, 'installments' AS entity, i.installment_key AS entity_key,
                       CAST(i.bank_slip_key AS varchar) AS reference, s.settled_date AS effective_date,
                       i.total_amount AS expected, s.settled_amount AS actual,
                       i.total_amount - s.settled_amount AS difference,
                       CAST(NULL AS bigint) AS expected_count, CAST(NULL AS bigint) AS actual_count,
                       CAST('linked bank slip settled for another amount than the installment''s total_amount'
                           AS text) AS reason,
                       i.position AS sort_position
                FROM p, fin_installment i JOIN fin_bank_slip s ON s.bank_slip_key = i.bank_slip_key
                WHERE s.settled_date BETWEEN p.f AND p.t AND s.settled_amount IS DISTINCT FROM i.total_amount
              UNION ALL
                SELECT 2, 'installments', i.installment_key, i.bank_slip_key, i.expected_date,
                       i.total_amount, CAST(0 AS numeric), i.total_amount, NULL, NULL,
                       CASE WHEN i.total_amount IS NOT NULL AND i.paid_amount >= i.total_amount
                            THEN 'linked bank slip not settled by the end of the period; the installment''s '
                                 || 'payments cover its total (paid by other means)'
                            ELSE 'linked bank slip not settled by the end of the period' END,
                       i.position
                FROM p, fin_installment i LEFT JOIN fin_bank_slip s ON s.bank_slip_key = i.bank_slip_key
                WHERE i.bank_slip_key IS NOT NULL AND i.expected_date BETWEEN p.f AND p.t
                  AND (s.settled_date IS NULL OR s.settled_date > p.t)
              UNION ALL
                SELECT 3, 'bank-slips', s.bank_slip_key, NULL, s.settled_date,
                       CAST(0 AS numeric), s.settled_amount, 0 - s.settled_amount, NULL, NULL,
                       'settled bank slip that no installment''s current billing names', s.position
                FROM p, fin_bank_slip s
                WHERE s.settled_date BETWEEN p.f AND p.t
                  AND NOT EXISTS (SELECT 1 FROM fin_installment i WHERE i.bank_slip_key = s.bank_slip_key)
              UNION ALL
                SELECT 4, 'installments', i.installment_key, NULL, i.payment_check_date,
                       i.total_amount, i.paid_amount, i.total_amount - i.paid_amount, NULL, NULL,
                       'status ' || i.status || ' but the payments fall short of total_amount', i.position
                FROM p, fin_installment i
                WHERE i.total_amount IS NOT NULL AND i.payment_check_date BETWEEN p.f AND p.t
                  AND i.status IN PAID_STATUSES AND i.paid_amount < i.total_amount
              UNION ALL
                SELECT 5, 'installments', i.installment_key, NULL, i.payment_check_date,
                       i.total_amount, i.paid_amount, i.total_amount - i.paid_amount, NULL, NULL,
                       'payments exceed total_amount (status ' || COALESCE(i.status, 'unknown') || ')', i.position
                FROM p, fin_installment i
                WHERE i.total_amount IS NOT NULL AND i.payment_check_date BETWEEN p.f AND p.t
                  AND i.paid_amount > i.total_amount
              UNION ALL
                SELECT 6, 'bank-slips', s.bank_slip_key, s.notice_kind, s.notified_date,
                       s.notified_amount, CAST(0 AS numeric), s.notified_amount, NULL, NULL,
                       s.notice_kind || ' not settled within ' || p.days || ' days (slip status: ' || s.status || ')',
                       s.position
                FROM p, fin_bank_slip s
                WHERE s.notified_date BETWEEN p.f AND p.t AND s.notified_date <= p.cutoff
                  AND (s.settled_date IS NULL OR s.settled_date > p.t)
              UNION ALL
                SELECT 7, 'dda-bank-slips', d.slip_key, NULL, d.snapshot_date,
                       d.total_amount, d.total_payment_amount, d.total_amount - d.total_payment_amount, NULL, NULL,
                       CASE WHEN d.total_payment_amount IS NULL THEN 'paid without total_payment_amount'
                            ELSE 'paid: total_payment_amount differs from total_amount' END,
                       d.position
                FROM p, fin_dda_slip d
                WHERE d.status = 'paid' AND d.snapshot_date BETWEEN p.f AND p.t
                  AND d.total_payment_amount IS DISTINCT FROM d.total_amount
              UNION ALL
                SELECT 8, 'dda-bank-slips', d.slip_key, NULL, d.snapshot_date,
                       d.total_amount, d.partially_paid_amount, d.total_amount - d.partially_paid_amount, NULL, NULL,
                       'partially paid: open balance', d.position
                FROM p, fin_dda_slip d
                WHERE d.status = 'partially_paid' AND d.snapshot_date BETWEEN p.f AND p.t
              UNION ALL
                SELECT 9, 'conciliation-batches', b.batch_key, NULL, b.report_date,
                       COALESCE(b.total_amount, 0), COALESCE(b.conciliated_amount, 0),
                       COALESCE(b.total_amount, 0) - COALESCE(b.conciliated_amount, 0),
                       b.total_orders, b.conciliated_orders,
                       CASE WHEN b.reference_date IS NULL
                            THEN 'not yet conciliated (no reference_date: dated by its report)'
                            ELSE 'not yet conciliated' END,
                       b.position
                FROM p, fin_batch b
                WHERE b.report_date BETWEEN p.f AND p.t
                  AND (COALESCE(b.total_amount, 0) <> COALESCE(b.conciliated_amount, 0)
                       OR b.total_orders <> b.conciliated_orders)
              UNION ALL
                SELECT 10, 'debts', e.entity_key, e.reference, e.effective_date,
                       e.amount, CAST(0 AS numeric), e.amount, NULL, NULL, e.detail, e.position
                FROM p, ledger_entry e
                WHERE e.kind = 'disbursement_refused' AND e.effective_date BETWEEN p.f AND p.t
              UNION ALL
                SELECT 11, 'debts', c.debt_key, NULL, c.collateral_date,
                       c.total_amount, c.funds_amount, c.total_amount - c.funds_amount, NULL, NULL,
                       'the funds'' lock_gross_amount do not add up to total_gross_amount_lock', c.position
                FROM p, fin_collateral c
                WHERE c.collateral_date BETWEEN p.f AND p.t AND c.total_amount <> c.funds_amount
              UNION ALL
                SELECT 12, 'debts', r.debt_key, r.request_id, CAST(r.requested_at AT TIME ZONE 'America/Sao_Paulo' AS date),
                       NULL, NULL, NULL, NULL, NULL,
                       'permanent cancellation asked of the provider (' || r.state || ', ' || r.attempts
                           || ' attempt(s)) and not confirmed by a canceled_permanently webhook after '
                           || p.cancel_days || ' days',
                       r.position
                FROM p, partner_request_view r
                WHERE r.kind = 'cancel_permanently'
                  AND CAST(r.requested_at AT TIME ZONE 'America/Sao_Paulo' AS date) BETWEEN p.f AND p.t
                  AND CAST(r.requested_at AT TIME ZONE 'America/Sao_Paulo' AS date) <= p.cancel_cutoff
                  AND NOT (r.state = 'refused'
                           AND CAST(r.answered_at AT TIME ZONE 'America/Sao_Paulo' AS date) <= p.t)
                  AND (r.confirmed_at IS NULL
                       OR CAST(r.confirmed_at AT TIME ZONE 'America/Sao_Paulo' AS date) > p.t)
            ) b
            ORDER BY b.rank, b.effective_date, b.entity_key COLLATE "C", b.reference COLLATE "C" NULLS FIRST,
                     b.sort_position
            """.replace("PAID_STATUSES", PAID_STATUSES);

    private static final String BATCH_DAYS = """
            SELECT b.report_date, count(*) AS batches,
                   sum(COALESCE(b.total_amount, 0)) AS total_amount,
                   sum(COALESCE(b.conciliated_amount, 0)) AS conciliated_amount,
                   sum(COALESCE(b.total_amount, 0) - COALESCE(b.conciliated_amount, 0)) AS open_amount,
                   sum(b.total_orders) AS total_orders, sum(b.conciliated_orders) AS conciliated_orders,
                   sum(b.total_orders - b.conciliated_orders) AS open_orders,
                   (CAST(:to AS date) - b.report_date) AS age_in_days
            FROM fin_batch b
            WHERE b.report_date BETWEEN CAST(:from AS date) AND CAST(:to AS date)
            GROUP BY b.report_date
            ORDER BY b.report_date
            """;

    private final JdbcClient jdbc;

    public FinanceQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    public LedgerEntries handle(FindLedgerEntries query) {
        List<LedgerEntry> entries = jdbc.sql("""
                        SELECT * FROM ledger_entry
                        WHERE effective_date BETWEEN CAST(:from AS date) AND CAST(:to AS date)
                        ORDER BY effective_date, position, ordinal
                        """)
                .param("from", query.from())
                .param("to", query.to())
                .query(FinanceQueries::entry)
                .list();
        return new LedgerEntries(query.from(), query.to(), entries);
    }

    @QueryHandler
    public ReconciliationReport handle(FindReconciliationReport query) {
        List<ReconciliationBreak> breaks = jdbc.sql(BREAKS)
                .param("from", query.from())
                .param("to", query.to())
                .param("cutoff", query.to().minusDays(query.unsettledAfterDays()))
                .param("days", query.unsettledAfterDays())
                .param("cancelCutoff", query.to().minusDays(query.cancellationUnconfirmedAfterDays()))
                .param("cancelDays", query.cancellationUnconfirmedAfterDays())
                .query(FinanceQueries::breakLine)
                .list();
        List<ReferenceDateSubtotal> days = jdbc.sql(BATCH_DAYS)
                .param("from", query.from())
                .param("to", query.to())
                .query((rs, n) -> new ReferenceDateSubtotal(
                        rs.getObject("report_date", LocalDate.class),
                        rs.getLong("batches"),
                        rs.getBigDecimal("total_amount"),
                        rs.getBigDecimal("conciliated_amount"),
                        rs.getBigDecimal("open_amount"),
                        rs.getLong("total_orders"),
                        rs.getLong("conciliated_orders"),
                        rs.getLong("open_orders"),
                        rs.getLong("age_in_days")))
                .list();
        return new ReconciliationReport(query.from(), query.to(), query.unsettledAfterDays(), summary(breaks), days,
                breaks);
    }

    /** One line per category, in category order, zeros when a category has no break. */
    static List<CategorySummary> summary(List<ReconciliationBreak> breaks) {
        List<CategorySummary> summary = new ArrayList<>();
        for (BreakCategory category : BreakCategory.values()) {
            List<ReconciliationBreak> lines = breaks.stream()
                    .filter(b -> b.category().equals(category.label()))
                    .toList();
            summary.add(new CategorySummary(
                    category.rule(),
                    category.label(),
                    lines.size(),
                    sum(lines, ReconciliationBreak::expected),
                    sum(lines, ReconciliationBreak::actual),
                    sum(lines, ReconciliationBreak::difference),
                    category.counted() ? count(lines, ReconciliationBreak::expectedCount) : null,
                    category.counted() ? count(lines, ReconciliationBreak::actualCount) : null,
                    category.counted() ? count(lines, ReconciliationBreak::differenceCount) : null));
        }
        return summary;
    }

    private static BigDecimal sum(List<ReconciliationBreak> lines, Function<ReconciliationBreak, BigDecimal> amount) {
        return lines.stream().map(amount).filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Long count(List<ReconciliationBreak> lines, Function<ReconciliationBreak, Long> count) {
        return lines.stream().map(count).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
    }

    private static ReconciliationBreak breakLine(ResultSet rs, int n) throws SQLException {
        BreakCategory category = BreakCategory.values()[rs.getInt("rank") - 1];
        Long expectedCount = nullableLong(rs, "expected_count");
        Long actualCount = nullableLong(rs, "actual_count");
        return new ReconciliationBreak(
                category.rule(),
                category.label(),
                rs.getString("entity"),
                rs.getString("entity_key"),
                rs.getString("reference"),
                rs.getObject("effective_date", LocalDate.class),
                rs.getBigDecimal("expected"),
                rs.getBigDecimal("actual"),
                rs.getBigDecimal("difference"),
                expectedCount,
                actualCount,
                expectedCount == null || actualCount == null ? null : expectedCount - actualCount,
                rs.getString("reason"),
                rs.getLong("age_in_days"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static LedgerEntry entry(ResultSet rs, int n) throws SQLException {
        return new LedgerEntry(
                rs.getObject("effective_date", LocalDate.class),
                rs.getString("entity"),
                rs.getString("entity_key"),
                rs.getString("kind"),
                rs.getBigDecimal("amount"),
                rs.getString("effective_source"),
                instant(rs.getTimestamp("effective_at")),
                instant(rs.getTimestamp("recorded_at")),
                rs.getString("reference"),
                rs.getString("detail"),
                rs.getString("receipt_id"),
                rs.getString("event_id"),
                rs.getLong("position"),
                rs.getInt("ordinal"));
    }
}
