package com.qiledger.query.finance;

import java.time.LocalDate;
import java.util.List;

/**
 * The reconciliation report of {@code [from, to]}: a pure function of the events and the period (no
 * time of asking in it). {@code summary} lists every category in {@link BreakCategory} order;
 * {@code batchesByReferenceDate} is rule 5 per reference date; {@code breaks} are ordered by category,
 * effective date, key, reference and event position.
 */
public record ReconciliationReport(
        LocalDate from,
        LocalDate to,
        int unsettledAfterDays,
        List<CategorySummary> summary,
        List<ReferenceDateSubtotal> batchesByReferenceDate,
        List<ReconciliationBreak> breaks) {

    public ReconciliationReport {
        summary = List.copyOf(summary);
        batchesByReferenceDate = List.copyOf(batchesByReferenceDate);
        breaks = List.copyOf(breaks);
    }
}
