package com.qiledger.command.messages.debt;

/**
 * The status of a debt as the ledger derives it from the facts it holds (see the {@code Debt}
 * aggregate for the rule). Only {@link #CANCELED_PERMANENTLY} is final. {@link #viewName()} is how
 * read models show it.
 */
public enum DebtStatus {
    /** A collateral was reported without saying it is constituted. */
    COLLATERAL_REPORTED("collateral_reported"),
    /** The collateral is constituted ({@code collateral_constituted: true}). */
    COLLATERAL_CONSTITUTED("collateral_constituted"),
    /** The private-pension reservation failed. */
    RESERVATION_FAILED("reservation_failed"),
    /** The disbursement was refused; the partner may resubmit it ({@code change_disbursement_date}). */
    CANCELED("canceled"),
    /** Canceled for good by the partner; the collateral is released; nothing changes it any more. */
    CANCELED_PERMANENTLY("canceled_permanently");

    private final String viewName;

    DebtStatus(String viewName) {
        this.viewName = viewName;
    }

    public String viewName() {
        return viewName;
    }
}
