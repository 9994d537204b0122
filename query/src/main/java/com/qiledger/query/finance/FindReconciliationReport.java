package com.qiledger.query.finance;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The reconciliation report of a period, both days included; answered with a
 * {@link ReconciliationReport}. {@code unsettledAfterDays} is how old a payment notice without
 * settlement must be, counted to {@code to}, to be a break (setting
 * {@code ledger.reports.unsettled-after-days}).
 */
public record FindReconciliationReport(LocalDate from, LocalDate to, int unsettledAfterDays) {

    public FindReconciliationReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        if (unsettledAfterDays < 0) {
            throw new IllegalArgumentException("unsettledAfterDays must not be negative");
        }
    }
}
