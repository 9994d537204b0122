package com.qiledger.query.finance;

/**
 * The categories of the reconciliation report, in the order the report lists them, each with the rule
 * (1 to 6, as issue 5 numbers them) it belongs to and the date that places its items in a period.
 * Every amount line reads {@code difference = expected − actual}: positive when money is missing,
 * negative when there is more than expected.
 */
public enum BreakCategory {
    /** Rule 1: the slip an installment's current billing names settled for another amount; dated by the settlement. */
    INSTALLMENT_SLIP_MISMATCH(1, "installment_slip_mismatch", false),
    /** Rule 1: the named slip has no settlement dated on or before {@code to}; dated by the billing's due date. */
    INSTALLMENT_SLIP_UNSETTLED(1, "installment_slip_unsettled", false),
    /** Rule 1: a settled slip that no installment's current billing names; dated by the settlement. */
    UNEXPECTED_SETTLEMENT(1, "unexpected_settlement", false),
    /** Rule 2: a paid status (paid, paid_early, paid_overdue) whose payments fall short of the total. */
    INSTALLMENT_PAID_SHORTFALL(2, "installment_paid_shortfall", false),
    /** Rule 2: payments above the installment's total, whatever its status. */
    INSTALLMENT_OVERPAID(2, "installment_overpaid", false),
    /** Rule 3: a payment notice without settlement at least N days old at {@code to}; dated by the notice. */
    SLIP_NOTIFIED_UNSETTLED(3, "slip_notified_unsettled", false),
    /** Rule 4: a paid DDA slip whose total_payment_amount differs from its total_amount. */
    DDA_PAID_MISMATCH(4, "dda_paid_mismatch", false),
    /** Rule 4: a partially paid DDA slip and its open balance. */
    DDA_PARTIALLY_PAID_OPEN(4, "dda_partially_paid_open", false),
    /** Rule 5: a batch with amount or payment orders not yet conciliated; dated by its reference date. */
    BATCH_NOT_CONCILIATED(5, "batch_not_conciliated", true),
    /** Rule 6: a refused disbursement (TED with its amount, Pix without); dated by the refusal. */
    DISBURSEMENT_REFUSED(6, "disbursement_refused", false),
    /** Rule 6: a current collateral whose funds' locks do not add up to its declared total. */
    COLLATERAL_LOCKS_MISMATCH(6, "collateral_locks_mismatch", false),
    /**
     * Rule 7 (issue 22): a permanent cancellation the ledger asked the provider for, not refused, and not
     * confirmed by its {@code canceled_permanently} webhook by {@code to}, at least N days old at
     * {@code to}; dated by the day it was asked (provider's calendar). No amount: it names a debt whose
     * collateral may still be locked.
     */
    CANCELLATION_UNCONFIRMED(7, "cancellation_unconfirmed", false);

    private final int rule;
    private final String label;
    private final boolean counted;

    BreakCategory(int rule, String label, boolean counted) {
        this.rule = rule;
        this.label = label;
        this.counted = counted;
    }

    public int rule() {
        return rule;
    }

    public String label() {
        return label;
    }

    /** Whether the category also compares counts (payment orders), not only amounts. */
    public boolean counted() {
        return counted;
    }
}
