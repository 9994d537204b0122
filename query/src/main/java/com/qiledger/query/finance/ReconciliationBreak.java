package com.qiledger.query.finance;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One break of the reconciliation report: what was expected, what the ledger found, and
 * {@code difference = expected − actual}; the counts are set only for categories that compare counts
 * (conciliation batches). {@code effectiveDate} is the date that placed the break in the period (see
 * {@link BreakCategory}), {@code ageInDays} the days from it to the period's {@code to} date, so the
 * report never depends on when it is asked. {@code reference} names the other side where there is one
 * (the linked bank slip, the TED transaction, the notice kind).
 */
public record ReconciliationBreak(
        int rule,
        String category,
        String entity,
        String key,
        String reference,
        LocalDate effectiveDate,
        BigDecimal expected,
        BigDecimal actual,
        BigDecimal difference,
        Long expectedCount,
        Long actualCount,
        Long differenceCount,
        String reason,
        long ageInDays) {
}
