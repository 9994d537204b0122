package com.qiledger.query.finance;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The reconciliation report of a period, both days included; answered with a
 * {@link ReconciliationReport}. {@code unsettledAfterDays} is how old a payment notice without
 * settlement must be, counted to {@code to}, to be a break (setting
 * {@code ledger.reports.unsettled-after-days}); {@code cancellationUnconfirmedAfterDays} how old a
 * permanent cancellation asked of the provider and not confirmed by its webhook must be, counted to
 * {@code to}, to be a break (setting {@code ledger.reports.cancellation-unconfirmed-after-days}).
 */
public record FindReconciliationReport(LocalDate from, LocalDate to, int unsettledAfterDays,
                                       int cancellationUnconfirmedAfterDays) {

    /** Rule 7's default (setting {@code ledger.reports.cancellation-unconfirmed-after-days}). */
    public static final int CANCELLATION_UNCONFIRMED_AFTER_DAYS = 5;

    public FindReconciliationReport(LocalDate from, LocalDate to, int unsettledAfterDays) {
        this(from, to, unsettledAfterDays, CANCELLATION_UNCONFIRMED_AFTER_DAYS);
    }

    public FindReconciliationReport {
        if (cancellationUnconfirmedAfterDays < 0) {
            throw new IllegalArgumentException("cancellationUnconfirmedAfterDays must not be negative");
        }
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
